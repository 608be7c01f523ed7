from lxml import etree

from odoo import api, models

from ..tools import post_for


class KeyAccountApprovalDisplayMixin(models.AbstractModel):
    """What the layered approval (key.account.approval.mixin) shows, in the reader's language.
    base_tier_validation's banner, buttons, reviews widget and messages are translated from its
    own files only, which leave them English in Chinese: the forms get this addon's instead
    (views/key_account_approval_templates.xml: Approve and Reject first in the header, a banner
    naming the level awaited, the list of reviews; no Request or Restart Validation, as
    submitting requests the reviews and nothing restarts them by hand), the messages its words,
    one per language of their readers."""

    _name = "key.account.approval.display.mixin"
    _inherit = ["tier.validation"]
    _description = "Key Account Layered Approval Display"

    _tier_validation_manual_config = False
    # Approve and Reject come first in the header (see _add_tier_validation_buttons)
    _tier_validation_buttons_xpath = "/form/header/button[1]"

    def _add_tier_validation_buttons(self, node, params):
        buttons = etree.fromstring(self.env["ir.qweb"]._render("key_account_mgmt.approval_buttons", params))
        # each is inserted right after the header's first button: reversed, they keep their order
        buttons[:] = reversed(buttons)
        return buttons

    def _add_tier_validation_label(self, node, params):
        return etree.fromstring(self.env["ir.qweb"]._render("key_account_mgmt.approval_banner", params))

    def _add_tier_validation_reviews(self, node, params):
        return etree.fromstring(self.env["ir.qweb"]._render("key_account_mgmt.approval_reviews", params))

    @api.depends("review_ids.status")
    def _compute_next_review(self):
        # the level now awaited: the first open one (the next is "waiting" until it comes)
        for record in self:
            record.next_review = (
                record.review_ids.filtered(lambda r: r.status in ("waiting", "pending")).sorted("sequence")[:1].name
            )

    # The messages: this addon's words, one message per language the followers of the message's
    # subtype read (tools.post_for), each notifying only its readers.
    def _notify_created_review_body(self):
        return self.env._("Submitted for approval by %s.", self.env.user.name)

    def _notify_requested_review_body(self):
        return self.env._("Approved by %s: the next level of approval is requested.", self.env.user.name)

    def _notify_accepted_reviews_body(self):
        return self.env._(
            "Approved by %(user)s. %(comment)s", user=self.env.user.name, comment=self._reviewer_comment()
        )

    def _notify_rejected_review_body(self):
        return self.env._(
            "Rejected by %(user)s. %(comment)s", user=self.env.user.name, comment=self._reviewer_comment()
        )

    def _notify_restarted_review_body(self):
        return self.env._("The approval was restarted by %s.", self.env.user.name)

    def _notify_review_requested(self, tier_reviews):
        subtype = self._get_requested_notification_subtype()
        for record in self.sudo():
            reviews = tier_reviews.filtered(lambda r, x=record: r.definition_id.notify_on_create and r.res_id == x.id)
            if reviews.reviewer_ids:
                record.message_subscribe(
                    partner_ids=reviews.reviewer_ids.partner_id.ids, subtype_ids=self.env.ref(subtype).ids
                )
                record._post_approval_message(subtype, lambda r: r._notify_created_review_body())

    def _notify_review_available(self, tier_reviews):
        subtype = self._get_requested_notification_subtype()
        for record in self.sudo():
            reviews = tier_reviews.filtered(lambda r, x=record: r.definition_id.notify_on_pending and r.res_id == x.id)
            record.message_subscribe(partner_ids=reviews.reviewer_ids.partner_id.ids)
            record._post_approval_message(subtype, lambda r: r._notify_requested_review_body())

    def _notify_accepted_reviews(self):
        self._post_approval_message(
            self._get_accepted_notification_subtype(), lambda r: r._notify_accepted_reviews_body()
        )

    def _notify_rejected_review(self):
        self._post_approval_message(
            self._get_rejected_notification_subtype(), lambda r: r._notify_rejected_review_body()
        )

    def _notify_restarted_review(self):
        self._post_approval_message(
            self._get_restarted_notification_subtype(), lambda r: r._notify_restarted_review_body()
        )

    def _post_approval_message(self, subtype_xmlid, body):
        """``body(record in a language)`` to the internal followers of ``subtype_xmlid`` other
        than the writer, one message per language (as a note: the notified are exactly them)."""
        subtype = self.env.ref(subtype_xmlid)
        for record in self.sudo():
            followers = record.message_follower_ids.filtered(lambda f, s=subtype: s in f.subtype_ids)
            readers = followers.partner_id.user_ids.filtered(lambda u: not u.share) - self.env.user
            post_for(record, readers, body, subtype_xmlid="mail.mt_note")

    def _reviewer_comment(self):
        mine = self.sudo().review_ids.filtered(lambda r: self.env.user in r.reviewer_ids and r.comment)
        return mine[:1].comment or ""
