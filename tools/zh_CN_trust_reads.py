"""Simplified Chinese for the read side of the trust boundary (issue #16, branch trust-reads)."""

ZH = {
    "You may not search, group or sort %(model)s by “%(field)s”: you cannot read it.":
        "您不能按“%(field)s”搜索、分组或排序%(model)s：您无权查看该字段。",
    "Key Account Search Guard": "大客户搜索保护",
    "Key Account Export Restriction": "大客户导出限制",
    "Archive Access Register Hook": "档案查阅登记",
}
