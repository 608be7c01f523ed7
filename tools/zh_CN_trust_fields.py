"""Simplified Chinese for the strings of branch trust-fields (issue #16, write side of the trust boundary)."""
ZH = {
"Key Account Write Guard": "大客户写入保护",
"Only the account team of %(partners)s and the Key Account Clerks and Managers of its company may see its confidential data.":
    "只有%(partners)s的客户小组及其所属公司的大客户内勤和大客户部经理可以查看其保密资料。",
"Only the account team of %(partners)s and the Key Account Managers of its company may change its confidential data.":
    "只有%(partners)s的客户小组及其所属公司的大客户部经理可以修改其保密资料。",
"%(fields)s change only through the actions that own them, which check the rights and keep the history.":
    "%(fields)s只能通过其对应的操作修改，这些操作会检查权限并保留历史记录。",
"%(fields)s of %(records)s change only through the actions that own them, which check the rights and keep the history.":
    "%(records)s的%(fields)s只能通过其对应的操作修改，这些操作会检查权限并保留历史记录。",
"%(records)s cannot go to a key account, record or person whose confidential data you may not change (%(fields)s).":
    "%(records)s不能转到您无权修改其保密资料的大客户、记录或人员（%(fields)s）。",
"Only a Key Account Manager may delete the key account %(partners)s.":
    "只有大客户部经理可以删除大客户%(partners)s。",
"Only a Key Account Manager of its company may delete the key account %(partners)s.":
    "只有其所属公司的大客户部经理可以删除大客户%(partners)s。",
"%(partners)s has a key-account history (archive, state history, scores, visits, …), which is never deleted: archive the partner instead.":
    "%(partners)s有大客户历史记录（档案、状态历史、评分、拜访等），这些记录永不删除：请将该伙伴归档，而不是删除。",
"The archive of %(partners)s was read by people off its team: the register of these reads is kept, so the archive cannot be deleted.":
    "%(partners)s的档案曾被客户小组以外的人员查阅：查阅登记须保留，因此该档案不能删除。",
"The key account of a complaint follows its contact; it cannot be set by hand.":
    "投诉所属的大客户由其联系人决定，不能手工设置。",
}
