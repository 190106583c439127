import ExpressDomain
import Fluent
import Foundation
import Platform
import Vocabulary

extension ExpressService {
    /// Emails each active admin of the endpoint's partner that it was disabled, in the caller's transaction.
    /// The email names the endpoint by its description and host and links to its page; no patient data.
    func tellAdmins(disabled endpoint: WebhookEndpoint, on db: any Database) async throws {
        let admins = try await UserModel.query(on: db).filter(\.$partnerID == endpoint.partner.rawValue)
            .filter(\.$role == PartnerRole.admin.rawValue).filter(\.$active == true).all()
        let host = URLComponents(string: endpoint.url)?.host ?? endpoint.url
        let name = endpoint.description.isEmpty ? host : "\(endpoint.description) (\(host))"
        let link = "\(config.publicURL)/webhooks/\(endpoint.id.wire)"
        let text = """
            Express stopped sending events to your webhook endpoint \(name): every delivery to it failed for \
            72 hours.

            Fix the receiver, then enable the endpoint again; deliveries that are still pending are then retried:
            \(link)
            """
        let html = """
            <p>Express stopped sending events to your webhook endpoint <strong>\(HTMLText.escape(name))</strong>: \
            every delivery to it failed for 72 hours.</p>
            <p>Fix the receiver, then <a href="\(HTMLText.escape(link))">enable the endpoint again</a>; deliveries \
            that are still pending are then retried.</p>
            """
        let at = now()
        for admin in admins {
            try await Mailer.enqueue(
                MailMessage(
                    from: config.mail.from, to: [MailAddress(name: admin.name, address: admin.email)],
                    subject: "Webhook endpoint disabled: \(host)", text: text, html: html),
                at: at, on: db)
        }
    }
}
