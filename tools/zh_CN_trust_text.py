"""Simplified Chinese for confidential texts on the confidential records (issue #16, branch trust-text)."""

ZH = {
    # descriptions of the core models this addon extends (as core's own zh_CN)
    "Activity": "活动",
    "Document Followers": "单据关注者",
    "Special Meeting Conclusion": "专题会议结论",
    "Escalation Closed On": "升级处理关闭时间",
    "Written by the KA Manager who closed the escalation of this change.": "由关闭本次变更升级处理的大客户部经理填写。",
    "You may not see the followers of records you cannot read.": "您无权查看您不能读取的记录的关注者。",
    "Cooperation State Change": "合作状态变更",
    "Open Escalations": "未关闭的升级处理",
    "My Activities": "我的活动",
    "Key Account Handover History": "大客户交接记录",
    "Handover History": "交接记录",
    "Handed Over by": "交接操作人",
    "What Moved": "交接内容",
    "Handed Over From": "交出人",
    "Handed Over To": "接收人",
    "Only a Key Account Manager may change or cancel a special meeting.": "只有大客户部经理可以修改或取消专题会议。",
    "No handover yet": "暂无交接记录",
    "Each handover of a key account is kept here: from whom, to whom, why and what moved.":
        "大客户的每次交接都记录在此：由谁交接给谁、原因及交接内容。",
}
