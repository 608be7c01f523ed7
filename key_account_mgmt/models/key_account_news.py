from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import in_lang_of, post_for

NEWS_TYPES = [
    ("organisation", "Organisation Change"),
    ("personnel", "Personnel Change"),
    ("business", "Business Development"),
    ("purchase_plan", "Purchase Plan"),
    ("competitor", "Competitor Move"),
    ("other", "Other"),
]
IMPORTANCE = [("0", "Ordinary"), ("1", "Important"), ("2", "High")]


class KeyAccountNews(models.Model):
    """Account news (大客户动态, seed 000 §三 3–4): an event at a key account — organisation or
    personnel change, business development, purchase plan, competitor move — logged by any
    salesperson, branch teams included, and passed on at once to the account team and the
    KA Managers of the company."""

    _name = "key.account.news"
    _inherit = [
        "key.account.confidential.mixin",
        "key.account.upward.report.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _description = "Key Account News"
    _order = "date desc, id desc"

    name = fields.Char(string="Headline", required=True, tracking=True)
    news_type = fields.Selection(NEWS_TYPES, string="Type", required=True, default="business", tracking=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True, tracking=True)
    importance = fields.Selection(
        IMPORTANCE,
        required=True,
        default="0",
        tracking=True,
        help="High importance gives the account manager an activity besides the notification.",
    )
    description = fields.Html(string="What Happened")
    attachment_ids = fields.Many2many("ir.attachment", string="Attachments")
    contact_ids = fields.Many2many(
        "res.partner",
        "key_account_news_contact_rel",
        "news_id",
        "contact_id",
        string="People Concerned",
        domain="[('is_company', '=', False), ('commercial_partner_id', 'in', account_family_ids)]",
        help="The people of the account the news is about (人员变动: who comes, goes or changes post); their entries "
        "on the relationship map list it.",
    )
    user_id = fields.Many2one(
        "res.users", string="Reported by", required=True, readonly=True, default=lambda self: self.env.user
    )
    account_manager_id = fields.Many2one(related="partner_id.key_account_manager_id", string="Account Manager")
    # the companies whose people the news may concern: the account and its branches
    account_family_ids = fields.Many2many(
        "res.partner", string="Account and Branches", compute="_compute_account_family_ids"
    )

    @api.depends("partner_id")
    def _compute_account_family_ids(self):
        for news in self:
            news.account_family_ids = news.partner_id.sudo()._key_account_map_family().with_env(self.env)

    @api.constrains("partner_id")
    def _check_key_account(self):
        for news in self:
            if not news.partner_id.sudo().is_key_account:
                raise ValidationError(
                    self.env._(
                        "%(partner)s is not a key account: report its news in its chatter.",
                        partner=news.partner_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        news = super().create(vals_list)
        news._notify_account_team()
        return news

    def _notify_account_team(self):
        """Tell the account team, the company's KA Managers and the reporter's sales head
        (抄报), each once in their language, then make them followers; the reporter may be a
        branch salesperson off the team, hence sudo for the subscription."""
        for news in self.sudo():
            audience = news.partner_id._key_account_team_users() | news.partner_id._key_account_managers()
            audience = (audience | news._upward_leader()) - news.user_id
            post_for(
                news,
                audience,
                lambda local: local.env._(
                    "New %(type)s at %(account)s: %(headline)s",
                    type=dict(local._fields["news_type"]._description_selection(local.env))[local.news_type],
                    account=local.partner_id.display_name,
                    headline=local.name,
                ),
                subtype_xmlid="mail.mt_comment",
            )
            news.message_subscribe(partner_ids=audience.partner_id.ids)
            if news.importance == "2":
                responsible = news.partner_id.key_account_manager_id or news.partner_id._key_account_managers()[:1]
                if responsible:
                    local = in_lang_of(news, responsible)
                    local.activity_schedule(
                        "key_account_mgmt.mail_activity_type_news",
                        summary=local.env._("Important news: %(headline)s", headline=news.name),
                        user_id=responsible.id,
                    )
