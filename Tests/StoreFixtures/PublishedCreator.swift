import Foundation
import HaatCore
import HaatStore

/// Records and approves creator `slug` owned by `owner`, with a phone ending in `number`
/// (and the same number on WhatsApp unless `whatsapp` is false); its ownership confirmed
/// unless `ownerConfirmed` is false (an account registering that email then gets nothing
/// of it until an admin confirms). What the store, API and scale-out tests reveal.
public func publishCreator(_ slug: String, owner: String, number: Int, whatsapp: Bool = true, ownerConfirmed: Bool = true,
                           in store: any HaatStore) async throws {
    let text = "---\nname: x\n---\n"
    // A new number is a new revision of the same profile.
    let sha = RevisionDigest.sha256(Data("\(slug)-\(number)".utf8))
    let phone = Phone("+91 50000 \(String(format: "%05d", number))")!
    _ = try await store.recordRevision(NewRevision(slug: Slug(slug)!, contentSHA256: sha, name: "Creator \(slug)", account: EmailAddress(owner)!,
                                                   text: text, images: [], contact: ContactDetails(phone: phone, whatsapp: whatsapp ? phone : nil)))
    _ = try await store.approveRevision(of: Slug(slug)!, sha256: sha, by: "test")
    if ownerConfirmed { _ = try await store.confirmOwner(of: Slug(slug)!, by: "test", now: Date()) }
}
