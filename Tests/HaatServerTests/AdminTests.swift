import Foundation
import HaatCore
@testable import HaatStore
import Hummingbird
import Logging
import StoreFixtures
import Testing
@testable import HaatServer
import HaatContent

/// API.md "Admin" end to end over real HTTP, with real approvals and real rebuilds of a
/// small content folder: each admin action's effect on the API and on the built site.
struct AdminTests {
    static let owner = "cakes@example.com"

    static func bed(_ kind: StoreKind) async throws -> TestServer {
        let server = try await TestServer(kind)
        try server.usePublishing([
            "creators/cake-one/index.md": TestServer.creatorFile(name: "Cake One", account: owner, number: 10001),
            "creators/cake-two/index.md": TestServer.creatorFile(name: "Cake Two", account: "two@example.com", number: 10002),
        ])
        return server
    }

    @Test(arguments: StoreKind.allCases) func moderationQueueDiffApproveRebuildSuspendVerify(_ kind: StoreKind) async throws {
        let server = try await Self.bed(kind)
        try await server.importAndApprove(["cake-one", "cake-two"])
        // An edit of a live creator, and a new creator, both waiting for review.
        try server.writeContent([
            "creators/cake-one/index.md": TestServer.creatorFile(name: "Cake One", account: Self.owner, number: 10001, story: "Now with eggless cakes."),
            "creators/cake-new/index.md": TestServer.creatorFile(name: "Cake New", account: "new@example.com", number: 10003),
        ])
        _ = try await ContentImporter(content: server.configuration.publishing.content, store: server.store).run()
        try await server.run { api in
            let admin = try await server.adminToken(api)
            let customer = try #require(try await api.register("asha@example.com")["access_token"] as? String)

            let pending = try await api.send(.get, "admin/creators?status=pending", token: admin)
            let items = try #require(pending.json["items"] as? [[String: Any]])
            #expect(items.map { $0["slug"] as? String } == ["cake-new", "cake-one"])
            let edit = try #require(items.first { $0["slug"] as? String == "cake-one" })
            #expect(edit["status"] as? String == "approved" && edit["changed_since_approval"] as? Bool == true)
            #expect(edit["approved_sha256"] is String && edit["verified"] as? Bool == false)
            let fresh = try #require(items.first { $0["slug"] as? String == "cake-new" })
            #expect(fresh["approved_sha256"] is NSNull && fresh["changed_since_approval"] as? Bool == false)

            let diff = try await api.send(.get, "admin/creators/cake-one/diff", token: admin)
            #expect((diff.json["approved_text"] as? String)?.contains("We bake cakes.") == true)
            #expect((diff.json["current_text"] as? String)?.contains("Now with eggless cakes.") == true)
            // By field: only the story changed; a new profile lists every field it has.
            let fields = try #require(diff.json["fields"] as? [[String: Any]])
            #expect(fields.map { $0["field"] as? String } == ["story"])
            #expect(fields.first?["before"] as? String == "We bake cakes." && fields.first?["after"] as? String == "Now with eggless cakes.")
            #expect(fields.first?["label"] as? String == "Story" && diff.json["pictures"] as? [Any] != nil)
            let newDiff = try await api.send(.get, "admin/creators/cake-new/diff", token: admin)
            #expect(newDiff.json["approved_text"] is NSNull)
            let newFields = try #require(newDiff.json["fields"] as? [[String: Any]])
            #expect(newFields.first?["field"] as? String == "name" && newFields.first?["before"] is NSNull && newFields.first?["after"] as? String == "Cake New")
            #expect(newFields.map { $0["field"] as? String }.contains("services"))
            #expect(try await api.send(.get, "admin/creators/nobody/diff", token: admin).status == .notFound)

            // Before approval the live page still shows the approved story.
            #expect(try await server.rebuild(api, admin: admin)["status"] as? String == "succeeded")
            #expect(try await server.page(api, "/creators/cake-one/").html.contains("We bake cakes."))
            #expect(try await server.page(api, "/creators/cake-new/").status == 404)

            let approved = try await api.send(.post, "admin/creators/cake-one/approve", token: admin)
            #expect(approved.status == .ok && approved.json["changed_since_approval"] as? Bool == false, "\(approved.text)")
            let rejected = try await api.send(.post, "admin/creators/cake-new/reject", json: ["reason": "Photos are not the creator's own"], token: admin)
            #expect(rejected.status == .ok && rejected.json["status"] as? String == "rejected")
            #expect(try await api.send(.post, "admin/creators/cake-new/reject", json: [:], token: admin).status == .unprocessableContent)
            #expect(try await api.send(.post, "admin/creators/cake-one/reject", json: ["reason": "x"], token: admin).status == .conflict)
            #expect(try await api.send(.post, "admin/creators/cake-two/verify", token: admin).json["verified"] as? Bool == true)

            let build = try await server.rebuild(api, admin: admin)
            #expect(build["status"] as? String == "succeeded" && (build["pages_written"] as? Int ?? 0) > 0 && build["error"] is NSNull)
            #expect(build["duration_ms"] is Int)
            #expect(try await server.page(api, "/creators/cake-one/").html.contains("Now with eggless cakes."))
            #expect(try await server.page(api, "/creators/cake-two/").html.contains("Verified"))

            // Suspended: no reveals at once, and no page after the next rebuild.
            #expect(try await api.send(.post, "admin/creators/cake-two/suspend", json: ["reason": "Fake photos"], token: admin).json["status"] as? String == "suspended")
            #expect(try await api.send(.post, "creators/cake-two/contact", token: customer).status == .notFound)
            _ = try await server.rebuild(api, admin: admin)
            #expect(try await server.page(api, "/creators/cake-two/").status == 404)
            #expect(try await api.send(.post, "admin/creators/cake-two/reinstate", token: admin).json["status"] as? String == "approved")
            #expect(try await api.send(.post, "creators/cake-two/contact", token: customer).status == .ok)

            let audit = try await api.send(.get, "admin/audit?limit=100", token: admin)
            let actions = (audit.json["items"] as? [[String: Any]] ?? []).map { "\($0["action"] as? String ?? ""):\($0["target"] as? String ?? "")" }
            for expected in ["approve:creator:cake-one", "reject:creator:cake-new", "verify:creator:cake-two", "suspend:creator:cake-two",
                             "reinstate:creator:cake-two"] {
                #expect(actions.contains(expected), "\(expected) missing from \(actions)")
            }
            #expect((audit.json["items"] as? [[String: Any]])?.first?["actor"] as? String == "root@example.com")
        }
    }

    @Test(arguments: StoreKind.allCases) func aFailedRebuildLeavesTheSiteAndRequestsWhileOneRunsShareOneQueuedBuild(_ kind: StoreKind) async throws {
        let server = try await Self.bed(kind)
        try await server.importAndApprove(["cake-one"])
        try await server.run { api in
            let admin = try await server.adminToken(api)
            #expect(try await server.rebuild(api, admin: admin)["status"] as? String == "succeeded")
            let before = try await server.page(api, "/creators/cake-one/").html

            try server.writeContent(["creators/cake-one/index.md": "---\nname: Cake One\ncategroy: cakes\n---\n"])
            let failed = try await server.rebuild(api, admin: admin)
            #expect(failed["status"] as? String == "failed")
            let error = try #require(failed["error"] as? String)
            #expect(error.contains("creators/cake-one/index.md:3:") && error.contains("category"), "\(error)")
            #expect(try await server.page(api, "/creators/cake-one/").html == before)

            // Fixed, and three requests at once: every build they started or joined ends well.
            try server.writeContent(["creators/cake-one/index.md": TestServer.creatorFile(name: "Cake One", account: Self.owner, number: 10001)])
            let ids = try await api.sendConcurrently(3) { _, api in
                try await api.send(.post, "admin/rebuild", token: admin)
            }.map { $0.json["build_id"] as? String ?? "" }
            for id in Set(ids) {
                var status = ""
                for _ in 0..<300 where status != "succeeded" && status != "failed" {
                    status = try await api.send(.get, "admin/builds/\(id)", token: admin).json["status"] as? String ?? ""
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(status == "succeeded")
            }
            #expect(try await api.send(.get, "admin/builds/nope", token: admin).status == .notFound)
        }
    }

    @Test(arguments: StoreKind.allCases) func suspendingAUserGrantingAndCancellingPlans(_ kind: StoreKind) async throws {
        let server = try await Self.bed(kind)
        try await server.importAndApprove(["cake-one", "cake-two"])
        try await server.run { api in
            let admin = try await server.adminToken(api)
            let session = try await api.register("asha@example.com")
            let token = try #require(session["access_token"] as? String), refresh = try #require(session["refresh_token"] as? String)
            let id = try #require((session["user"] as? [String: Any])?["id"] as? String)

            let suspended = try await api.send(.post, "admin/users/\(id)/suspend", json: ["reason": "Scraping numbers"], token: admin)
            #expect(suspended.status == .ok && suspended.json["status"] as? String == "suspended")
            let refused = try await api.send(.post, "creators/cake-one/contact", token: token)
            #expect(refused.status == .forbidden && refused.errorCode == "account_suspended")
            #expect(try await api.send(.get, "me", token: token).status == .forbidden)
            #expect(try await api.send(.post, "auth/refresh", json: ["refresh_token": refresh]).status == .unauthorized)
            let listed = try await api.send(.get, "admin/users?status=suspended", token: admin)
            #expect((listed.json["items"] as? [[String: Any]])?.map { $0["email"] as? String } == ["asha@example.com"])
            let adminID = try #require((try await api.send(.get, "me", token: admin).json["user"] as? [String: Any])?["id"] as? String)
            #expect(try await api.send(.post, "admin/users/\(adminID)/suspend", json: ["reason": "x"], token: admin).status == .unprocessableContent)

            #expect(try await api.send(.post, "admin/users/\(id)/reinstate", token: admin).json["status"] as? String == "active")
            #expect(try await api.send(.post, "creators/cake-one/contact", token: token).json["charged"] as? String == "free")
            #expect(try await api.send(.post, "creators/cake-two/contact", token: token).status == .init(code: 402))

            let granted = try await api.send(.post, "admin/users/\(id)/grant", json: ["plan_id": "month"], token: admin)
            #expect(granted.status == .ok && (granted.json["subscription"] as? [String: Any])?["status"] as? String == "active", "\(granted.text)")
            #expect(try await api.send(.post, "admin/users/\(id)/grant", json: ["plan_id": "forever"], token: admin).status == .unprocessableContent)
            #expect(try await api.send(.post, "admin/users/nobody/grant", json: ["plan_id": "month"], token: admin).status == .notFound)
            #expect(try await api.send(.post, "creators/cake-two/contact", token: token).json["charged"] as? String == "subscription")

            let subscriptions = try await api.send(.get, "admin/subscriptions?status=active", token: admin)
            let subscription = try #require((subscriptions.json["items"] as? [[String: Any]])?.first)
            #expect((subscription["user"] as? [String: Any])?["email"] as? String == "asha@example.com" && subscription["plan_id"] as? String == "month")
            let subscriptionID = try #require(subscription["id"] as? String)
            let cancelled = try await api.send(.post, "admin/subscriptions/\(subscriptionID)/cancel", token: admin)
            #expect(cancelled.status == .ok && cancelled.json["status"] as? String == "cancelled")
            #expect((try await api.send(.get, "admin/subscriptions?status=active", token: admin).json["items"] as? [Any])?.isEmpty == true)
            #expect(try await api.send(.get, "admin/subscriptions?status=later", token: admin).status == .unprocessableContent)
            #expect(((try await api.send(.get, "me", token: token).json["quota"] as? [String: Any])?["subscription"] as? [String: Any])?["status"]
                as? String == "cancelled")
        }
    }

    /// A filter that holds a NUL matches nothing, and PostgreSQL could not even bind it:
    /// refused at the edge, naming the parameter, on every store alike.
    @Test(arguments: StoreKind.allCases) func aQueryWithANulIsRefusedNamingTheParameter(_ kind: StoreKind) async throws {
        let server = try await Self.bed(kind)
        try await server.run { api in
            let admin = try await server.adminToken(api)
            for (path, parameter) in [("admin/users?q=a%00b", "q"), ("admin/contacts?creator=a%00b", "creator"), ("admin/contacts?customer=%00", "customer")] {
                let reply = try await api.send(.get, path, token: admin)
                #expect(reply.status == .unprocessableContent && reply.errorCode == "validation_failed", "\(path): \(reply.text)")
                #expect(reply.errorMessage?.contains("\"\(parameter)\"") == true, "\(path): \(reply.text)")
            }
            #expect(try await api.send(.get, "admin/users?q=a%2500b", token: admin).status == .ok, "an escaped percent sign is text")
        }
    }

    @Test(arguments: StoreKind.allCases) func contactMonitoringShowsEveryAttemptAndTheScraperStandsOut(_ kind: StoreKind) async throws {
        let server = try await Self.bed(kind)
        try await server.importAndApprove(["cake-one", "cake-two"])
        try await server.run { api in
            let admin = try await server.adminToken(api)
            let scraper = try await api.register("scraper@example.com")
            let scraperToken = try #require(scraper["access_token"] as? String)
            let scraperID = try #require((scraper["user"] as? [String: Any])?["id"] as? String)
            let honest = try #require(try await api.register("asha@example.com")["access_token"] as? String)
            let start = Date().addingTimeInterval(-1)
            for slug in ["cake-one", "cake-two", "cake-gone", "cake-one"] { _ = try await api.send(.post, "creators/\(slug)/contact", token: scraperToken) }
            _ = try await api.send(.post, "creators/cake-one/contact", token: honest)

            let mine = try await api.send(.get, "admin/contacts?customer=\(scraperID)", token: admin)
            let items = try #require(mine.json["items"] as? [[String: Any]])
            #expect(items.map { $0["outcome"] as? String } == ["repeat", "not_found", "quota_refused", "revealed"])
            #expect(items.first.flatMap { $0["customer"] as? [String: Any] }?["email"] as? String == "scraper@example.com")
            #expect(items.last?["charged"] as? String == "free" && items[1]["charged"] is NSNull && items[0]["client_address"] is String)
            let byCreator = try await api.send(.get, "admin/contacts?creator=cake-one", token: admin)
            #expect((byCreator.json["items"] as? [Any])?.count == 3)
            let paged = try await api.send(.get, "admin/contacts?limit=2", token: admin)
            let next = try #require(paged.json["next_cursor"] as? String)
            #expect((try await api.send(.get, "admin/contacts?limit=10&cursor=\(next)", token: admin).json["items"] as? [Any])?.count == 3)
            #expect(try await api.send(.get, "admin/contacts?since=yesterday", token: admin).status == .unprocessableContent)
            let since = RFC3339.string(from: Date().addingTimeInterval(3600))
            #expect((try await api.send(.get, "admin/contacts?since=\(since)", token: admin).json["items"] as? [Any])?.isEmpty == true)

            let accounts = try await api.send(.get, "admin/contacts/by-account?since=\(RFC3339.string(from: start))", token: admin)
            let top = try #require((accounts.json["items"] as? [[String: Any]])?.first)
            #expect((top["customer"] as? [String: Any])?["email"] as? String == "scraper@example.com")
            #expect(top["attempts"] as? Int == 4 && top["distinct_creators"] as? Int == 3 && top["refused"] as? Int == 2)
            // Counted by clock hour (UTC): all four in one, unless the test ran across an hour's turn.
            let (first, last) = (try #require(top["first_at"] as? String), try #require(top["last_at"] as? String))
            let peak = try #require(top["peak_per_hour"] as? Int)
            #expect(first.prefix(13) == last.prefix(13) ? peak == 4 : (2...3).contains(peak), "\(first) to \(last): \(peak)")

            let stats = try await api.send(.get, "admin/stats", token: admin)
            #expect((stats.json["users"] as? [String: Any])?["customer"] as? Int == 2 && (stats.json["users"] as? [String: Any])?["admin"] as? Int == 1)
            #expect((stats.json["creators"] as? [String: Any])?["approved"] as? Int == 2)
            #expect((stats.json["contacts"] as? [String: Any])?["today"] as? Int == 2)
            #expect(stats.json["active_subscriptions"] as? Int == 0 && stats.json["revenue_paise"] as? Int == 0)
        }
    }

    @Test(arguments: StoreKind.allCases) func reviewsAndReportsFromCustomersToThePublishedPage(_ kind: StoreKind) async throws {
        let server = try await Self.bed(kind)
        try await server.importAndApprove(["cake-one", "cake-two"])
        try await server.run { api in
            let admin = try await server.adminToken(api)
            let asha = try await api.register("asha@example.com")
            let ashaToken = try #require(asha["access_token"] as? String)
            let ravi = try #require(try await api.register("ravi@example.com")["access_token"] as? String)
            let creator = try #require(try await api.register(Self.owner, role: "creator")["access_token"] as? String)
            let contact = try #require(try await api.send(.post, "creators/cake-one/contact", token: ashaToken).json["contact_id"] as? String)

            #expect(try await api.send(.post, "contacts/\(contact)/review", json: ["rating": 4, "text": "Lovely cake"], token: ravi).status == .notFound)
            #expect(try await api.send(.post, "contacts/\(contact)/review", json: ["rating": 6], token: ashaToken).status == .unprocessableContent)
            let review = try await api.send(.post, "contacts/\(contact)/review", json: ["rating": 4, "text": "Lovely <b>cake</b>"], token: ashaToken)
            #expect(review.status == .created && review.json["status"] as? String == "pending", "\(review.text)")
            #expect(try await api.send(.post, "contacts/\(contact)/review", json: ["rating": 5], token: ashaToken).status == .conflict)
            let reviewID = try #require(review.json["review_id"] as? String)

            let queue = try await api.send(.get, "admin/reviews?status=pending", token: admin)
            let queued = try #require((queue.json["items"] as? [[String: Any]])?.first)
            #expect(queued["rating"] as? Int == 4 && queued["creator_slug"] as? String == "cake-one" && queued["contact_id"] as? String == contact)
            #expect(try await api.send(.post, "admin/reviews/\(reviewID)/approve", token: admin).json["status"] as? String == "approved")
            #expect(try await server.rebuild(api, admin: admin)["status"] as? String == "succeeded")
            let page = try await server.page(api, "/creators/cake-one/").html
            #expect(page.contains("★★★★☆") && page.contains("Lovely &lt;b&gt;cake&lt;/b&gt;") && page.contains("Test"), "the review is on the page")
            #expect(!page.contains("asha@example.com"))
            #expect(page.contains("\"aggregateRating\":{\"@type\":\"AggregateRating\",\"ratingValue\":\"4.0\",\"reviewCount\":1"))
            #expect(try await server.page(api, "/c/cakes/").html.contains("4.0 (1)"))

            // Reports: a profile, a contact by each party, and what is refused.
            let profile = try await api.send(.post, "reports", json: ["creator_slug": "cake-two", "reason": "fake_profile"], token: ravi)
            #expect(profile.status == .created && profile.json["status"] as? String == "open")
            #expect(try await api.send(.post, "reports", json: ["contact_id": contact, "reason": "spam"], token: ravi).status == .notFound)
            #expect(try await api.send(.post, "reports", json: ["contact_id": contact, "creator_slug": "cake-one", "reason": "spam"], token: ravi)
                .status == .unprocessableContent)
            #expect(try await api.send(.post, "reports", json: ["creator_slug": "cake-one", "reason": "boring"], token: ravi).status == .unprocessableContent)
            #expect(try await api.send(.post, "reports", json: ["creator_slug": "nobody", "reason": "spam"], token: ravi).status == .notFound)
            #expect(try await api.send(.post, "reports", json: ["creator_slug": "cake-one", "reason": "spam"]).status == .unauthorized)
            let noShow = try await api.send(.post, "reports", json: ["contact_id": contact, "reason": "no_show", "details": "Never called back"], token: ashaToken)
            #expect(noShow.status == .created)
            let spamLead = try await api.send(.post, "reports", json: ["contact_id": contact, "reason": "spam"], token: creator)
            #expect(spamLead.status == .created, "the contact's creator may report it: \(spamLead.text)")

            let open = try await api.send(.get, "admin/reports?status=open", token: admin)
            #expect((open.json["items"] as? [Any])?.count == 3)
            let profileID = try #require(profile.json["report_id"] as? String)
            #expect(try await api.send(.post, "admin/reports/\(profileID)/resolve", json: ["action": "suspend_user"], token: admin).status
                == .unprocessableContent)
            let dismissed = try await api.send(.post, "admin/reports/\(profileID)/resolve", json: ["action": "dismiss", "note": "Checked: real"], token: admin)
            #expect((dismissed.json["resolution"] as? [String: Any])?["action"] as? String == "dismiss" && dismissed.json["status"] as? String == "resolved")
            #expect(try await api.send(.post, "admin/reports/\(profileID)/resolve", json: ["action": "dismiss"], token: admin).status == .conflict)

            // The customer's no-show report, resolved by suspending the other party: the creator's account.
            let noShowID = try #require(noShow.json["report_id"] as? String)
            let resolved = try await api.send(.post, "admin/reports/\(noShowID)/resolve", json: ["action": "suspend_user"], token: admin)
            #expect(resolved.status == .ok, "\(resolved.text)")
            #expect(try await api.send(.get, "creator/leads", token: creator).errorCode == "account_suspended")
            #expect(try await api.send(.get, "me", token: ashaToken).status == .ok)
            let item = try #require(((try await api.send(.get, "admin/reports?status=resolved", token: admin)).json["items"] as? [[String: Any]])?
                .first { $0["report_id"] as? String == noShowID })
            #expect(item["contact_id"] as? String == contact && item["creator_slug"] is NSNull && item["details"] as? String == "Never called back")
            // Whom the contact concerns, so the console can say who reported whom.
            let parties = try #require(item["contact"] as? [String: Any])
            #expect(parties["creator_slug"] as? String == "cake-one")
            #expect((parties["customer"] as? [String: Any])?["email"] as? String == "asha@example.com")
            #expect(((open.json["items"] as? [[String: Any]])?.first { $0["report_id"] as? String == profileID })?["contact"] is NSNull)
        }
    }

    @Test(arguments: StoreKind.allCases) func requestsWhileABuildRunsShareOneQueuedBuildAndNeverRunTwoAtOnce(_ kind: StoreKind) async throws {
        let server = try await Self.bed(kind)
        try await server.importAndApprove(["cake-one"])
        let gate = AsyncStream<Void>.makeStream()
        let started = AsyncStream<Void>.makeStream()
        let rebuilder = SiteRebuilder(store: server.store, publishing: server.configuration.publishing, siteFolder: server.configuration.siteFolder,
                                      logger: Logger(label: "test")) {
            started.continuation.yield()
            for await _ in gate.stream { break }
        }
        let first = try await rebuilder.request(by: "root@example.com")
        var starts = started.stream.makeAsyncIterator()
        await starts.next()  // the first build is running (held at the gate)
        let second = try await rebuilder.request(by: "root@example.com")
        let third = try await rebuilder.request(by: "other@example.com")
        #expect(second.id != first.id && third.id == second.id, "a request while one is queued joins it")
        #expect(try await server.store.build(id: second.id)?.status == .queued)
        gate.continuation.yield()
        await starts.next()  // the queued build starts only after the first ended
        #expect(try await server.store.build(id: first.id)?.status == .succeeded)
        gate.continuation.yield()
        for _ in 0..<300 where try await server.store.build(id: second.id)?.status != .succeeded { try await Task.sleep(for: .milliseconds(50)) }
        #expect(try await server.store.build(id: second.id)?.status == .succeeded)
    }
}
