"""Simplified Chinese of issue #16 (bad input is never a server error): the input checks."""
ZH = {
    "This action works on exactly one %(record)s at a time, not on %(count)s.": "此操作每次只能处理一条%(record)s，而不是 %(count)s 条。",
    "%(field)s must be text.": "%(field)s 必须是文本。",
    "%(field)s: %(value)s is not a date (YYYY-MM-DD).": "%(field)s：%(value)s 不是日期（格式 YYYY-MM-DD）。",
    "%(field)s: %(date)s is out of range (%(min)s to %(max)s).": "%(field)s：%(date)s 超出范围（%(min)s 至 %(max)s）。",
    "%(field)s: %(value)s is not a valid value.": "%(field)s：%(value)s 不是有效的值。",
    "%(value)s is not a score or grade to search for.": "%(value)s 不是可搜索的评分或评级。",
    "Unknown main reason of a loss: %(reason)s.": "未知的流失主要原因：%(reason)s。",
    "%(value)s is not a company.": "%(value)s 不是公司。",
    "Base": "基础",  # the description of the core model ``base``, which models/base.py extends
}
