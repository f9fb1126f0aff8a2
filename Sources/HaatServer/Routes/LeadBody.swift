import Foundation
import HaatStore

/// API.md's lead: `{"contact_id", "creator_slug", "customer": {"name"}, "service",
/// "message", "callback_phone", "status", "created_at"}`, the same in the inbox and on the
/// socket. The customer's message and callback number reach the creator only here.
struct LeadBody: Encodable, Sendable {
    struct Customer: Encodable, Sendable {
        let name: String
    }
    let contactId: String
    let creatorSlug: String
    let customer: Customer
    // Absent values are null, not missing: one shape for every lead.
    @OrNull var service: String?
    @OrNull var message: String?
    @OrNull var callbackPhone: String?
    let status: String
    let createdAt: String

    enum CodingKeys: String, CodingKey {
        case contactId = "contact_id", creatorSlug = "creator_slug", customer, service, message, callbackPhone = "callback_phone", status,
             createdAt = "created_at"
    }

    init(_ lead: Lead) {
        contactId = lead.contactID
        creatorSlug = lead.creatorSlug
        customer = Customer(name: lead.customerName)
        service = lead.service
        message = lead.message
        callbackPhone = lead.callbackPhone
        status = lead.status.rawValue
        createdAt = RFC3339.string(from: lead.createdAt)
    }
}

/// A new lead as the socket and Web Push send it: `{"type": "lead", "seq", "lead": Lead}`.
struct LeadMessage: Encodable, Sendable {
    let type = "lead"
    let seq: Int
    var lead: LeadBody

    init(_ lead: Lead) {
        seq = lead.seq
        self.lead = LeadBody(lead)
    }

    func encoded() throws -> Data { try JSONResponse.encoder.encode(self) }

    /// The message for a push: at most `limit` bytes (API.md: 3,000), else the lead
    /// without its message, which the dashboard shows when opened.
    func pushBody(limit: Int = 3000) throws -> Data {
        let whole = try encoded()
        guard whole.count > limit else { return whole }
        var shorter = self
        shorter.lead.message = nil
        return try shorter.encoded()
    }
}
