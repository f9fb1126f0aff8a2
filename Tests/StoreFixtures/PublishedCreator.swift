import Foundation
import HaatCore
import HaatStore

/// Publishes creator `slug` owned by `owner`, with a phone ending in `number`, its owner
/// confirmed: what the store and scale-out tests reveal.
public func publishCreator(_ slug: String, owner: String, number: Int, in store: any HaatStore) async throws {
    let text = "profile of \(slug)"
    let sha = RevisionDigest.sha256(Data(text.utf8))
    let phone = Phone("+91 50000 \(String(format: "%05d", number))")!
    _ = try await store.recordRevision(NewRevision(slug: Slug(slug)!, contentSHA256: sha, name: "Creator \(slug)", account: EmailAddress(owner)!,
                                                   text: text, images: [], contact: ContactDetails(phone: phone, whatsapp: phone)))
    _ = try await store.approveRevision(of: Slug(slug)!, sha256: sha, by: "test")
    // Its owner is confirmed (ProfileOwnershipTests covers an unconfirmed one).
    _ = try await store.confirmOwner(of: Slug(slug)!, by: "test", now: Date())
}
