"""zh_CN for the approval integrity (issue #16: reviews, every level, material fields)."""
ZH = {
"%(record)s has been approved: its %(fields)s cannot change anymore.": "%(record)s 已获批准：其%(fields)s不能再更改。",
"%(record)s is under approval: its %(fields)s cannot change until the reviewers have decided.": "%(record)s 正在审批中：在审批人作出决定之前，其%(fields)s不能更改。",
"A key-account review is created only by submitting its record, waiting for its reviewer.": "大客户审批记录只能通过提交单据创建，并处于等待审批人状态。",
"A key-account review is decided with the Validate and Reject buttons of its record; its reviewers may only comment on it while it is open.": "大客户审批须通过单据上的“批准”和“拒绝”按钮作出决定；审批人只能在审批未结束时添加意见。",
"Changed after its approval (%(fields)s): submitted again for approval.": "批准后已更改（%(fields)s）：已重新提交审批。",
"Line of a Layered Approval": "分层审批明细",
"Only its reviewers may change a key-account review.": "只有该审批的审批人才能更改大客户审批记录。",
"Record Readable": "单据可读",
"The approval dates and reviews are kept by the approval itself; they cannot be set by hand.": "审批日期和审批记录由审批流程自行维护，不能手工设置。",
"The reviewed record is not a key-account record, or the current user may read it.": "被审批的单据不是大客户单据，或当前用户有权查看该单据。",
"The reviews are requested when a draft is submitted for approval.": "审批在草稿提交审批时发起。",
"The reviews of %(records)s restart only when it goes back to draft, or when what was approved changes.": "%(records)s 的审批只有在退回草稿或已批准的内容发生变更时才会重新开始。",
"The reviews of a key-account approval are the history of the decision: they are never deleted by hand.": "大客户审批记录是决策的历史：不能手工删除。",
"Unsupported search on reviews.": "不支持对审批记录的此种搜索。",
}
