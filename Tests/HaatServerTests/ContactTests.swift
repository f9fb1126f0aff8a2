import Foundation
import HaatCore
@testable import HaatStore
import Hummingbird
import StoreFixtures
import Testing
@testable import HaatServer

/// API.md "Contact reveal": the quota, repeats, refusals, the record of every attempt.
struct ContactTests {
    static func server(_ kind: StoreKind, freeContacts: Int = 2, contactsPerMinute: Int = 30) async throws -> TestServer {
        try await TestServer(kind) {
            $0.freeContacts = freeContacts
            $0.rateLimits.contactsPerAccount = contactsPerMinute
            $0.plans = [Plan(id: Slug("month")!, name: "One month", amount: Money(paise: 9900), periodDays: 30)]
        }
    }

    @Test(arguments: StoreKind.allCases) func twoFreeRevealsThenRepeatsThenPlans(_ kind: StoreKind) async throws {
        let server = try await Self.server(kind)
        for (index, slug) in ["cake-one", "cake-two", "cake-three"].enumerated() {
            try await server.publishCreator(slug, number: 10001 + index, whatsapp: index == 0)
        }
        try await server.run { api in
            let token = try #require(try await api.register("asha@example.com")["access_token"] as? String)
            let first = try await api.send(.post, "creators/cake-one/contact", json: ["service": "Birthday cake", "message": "For Sunday", "callback_phone": "+91 50000 99999"], token: token)
            #expect(first.status == .ok, "\(first.text)")
            #expect(first.json["phone"] as? String == "+915000010001")
            #expect(first.json["whatsapp"] as? String == "+915000010001")
            #expect(first.json["charged"] as? String == "free")
            #expect(first.json["creator_slug"] as? String == "cake-one")
            let quota = try #require(first.json["quota"] as? [String: Any])
            #expect(quota["free_used"] as? Int == 1 && quota["free_remaining"] as? Int == 1)

            let second = try await api.send(.post, "creators/cake-two/contact", token: token)
            #expect(second.status == .ok && second.json["charged"] as? String == "free")
            #expect(second.json.keys.contains("whatsapp") && second.json["whatsapp"] is NSNull)

            let repeatReveal = try await api.send(.post, "creators/cake-one/contact", json: [:], token: token)
            #expect(repeatReveal.status == .ok && repeatReveal.json["charged"] as? String == "repeat")
            #expect(repeatReveal.json["contact_id"] as? String == first.json["contact_id"] as? String)

            let third = try await api.send(.post, "creators/cake-three/contact", token: token)
            #expect(third.status == .init(code: 402) && third.errorCode == "subscription_required")
            #expect((third.json["quota"] as? [String: Any])?["free_remaining"] as? Int == 0)
            let plans = try #require(third.json["plans"] as? [[String: Any]])
            #expect(plans.first?["id"] as? String == "month" && plans.first?["amount_paise"] as? Int == 9900 && plans.first?["currency"] as? String == "INR")

            let me = try await api.send(.get, "me", token: token)
            #expect((me.json["quota"] as? [String: Any])?["free_used"] as? Int == 2)
            let contacts = try await api.send(.get, "contacts", token: token)
            let items = try #require(contacts.json["items"] as? [[String: Any]])
            #expect(items.map { $0["creator_slug"] as? String } == ["cake-two", "cake-one"])
            #expect(contacts.json.keys.contains("next_cursor"))
            // Enough to act on each again: WhatsApp, what was asked for, and the review's state.
            #expect(items.map { $0["whatsapp"] as? String } == [nil, "+915000010001"] && items[0]["whatsapp"] is NSNull)
            #expect(items.map { $0["service"] as? String } == [nil, "Birthday cake"])
            #expect(items.allSatisfy { $0["review"] is NSNull })
            let ofOne = try #require(try await api.send(.get, "contacts?creator=cake-one", token: token).json["items"] as? [[String: Any]])
            #expect(ofOne.map { $0["creator_slug"] as? String } == ["cake-one"])
            let contactID = try #require(first.json["contact_id"] as? String)
            let review = try await api.send(.post, "contacts/\(contactID)/review", json: ["rating": 4, "text": "Lovely cake"], token: token)
            #expect(review.status == .created)
            let reviewed = try #require(try await api.send(.get, "contacts", token: token).json["items"] as? [[String: Any]])
            let state = try #require(reviewed[1]["review"] as? [String: Any])
            #expect(state["review_id"] as? String == review.json["review_id"] as? String)
            #expect(state["rating"] as? Int == 4 && state["status"] as? String == "pending" && reviewed[0]["review"] is NSNull)
        }
        // Every attempt was recorded, with its outcome; a lead exists for each reveal only.
        let outcomes = try await server.database.texts("SELECT outcome FROM contact_attempts ORDER BY id")
        #expect(outcomes == ["revealed", "revealed", "repeat", "quota_refused"])
        #expect(try await server.database.integers("SELECT COUNT(*) FROM leads") == [2])
        let lead = try await server.database.texts("SELECT service || ' ' || callback_phone FROM contacts WHERE creator_slug = 'cake-one'")
        #expect(lead == ["Birthday cake +915000099999"])
    }

    @Test(arguments: StoreKind.allCases) func unknownOwnAndUnpublishedCreatorsAreRefused(_ kind: StoreKind) async throws {
        let server = try await Self.server(kind)
        try await server.publishCreator("mine", account: "maker@example.com")
        _ = try await server.store.recordRevision(NewRevision(slug: Slug("pending-one")!, contentSHA256: "abc", name: "P", account: EmailAddress("p@example.com")!,
                                                              text: "", images: [], contact: ContactDetails(phone: Phone("+91 50000 10009")!)))
        try await server.publishCreator("suspended-one", number: 10010)
        _ = try await server.store.suspend(Slug("suspended-one")!, reason: "test", by: "test")
        try await server.run { api in
            let maker = try #require(try await api.register("maker@example.com", role: "creator")["access_token"] as? String)
            let own = try await api.send(.post, "creators/mine/contact", token: maker)
            #expect(own.status == .unprocessableContent && own.errorCode == "validation_failed")
            for slug in ["nobody", "pending-one", "suspended-one", "NOT%20A%20SLUG"] {
                let reply = try await api.send(.post, "creators/\(slug)/contact", token: maker)
                #expect(reply.status == .notFound && reply.errorCode == "not_found", "\(slug)")
            }
            #expect(try await api.send(.post, "creators/mine/contact").status == .unauthorized)
            let invalid = try await api.send(.post, "creators/mine/contact", json: ["message": String(repeating: "m", count: 1001)], token: maker)
            #expect(invalid.status == .unprocessableContent && invalid.errorMessage?.contains("message") == true)
            let phone = try await api.send(.post, "creators/mine/contact", json: ["callback_phone": "call me"], token: maker)
            #expect(phone.status == .unprocessableContent && phone.errorMessage?.contains("callback_phone") == true)
        }
    }

    @Test(arguments: StoreKind.allCases) func concurrentFirstContactsNeverExceedTheFreeLimit(_ kind: StoreKind) async throws {
        let server = try await Self.server(kind, freeContacts: 2, contactsPerMinute: 100)
        for index in 0..<40 { try await server.publishCreator("maker-\(index)", number: 20000 + index) }
        try await server.run { api in
            let token = try #require(try await api.register("rush@example.com")["access_token"] as? String)
            let statuses = try await api.sendConcurrently(40) { index, api in
                try await api.send(.post, "creators/maker-\(index)/contact", token: token)
            }.map(\.status)
            #expect(statuses.filter { $0 == .ok }.count == 2)
            #expect(statuses.filter { $0 == .init(code: 402) }.count == 38)
        }
    }

    @Test(arguments: StoreKind.allCases) func contactAttemptsAreRateLimitedPerAccount(_ kind: StoreKind) async throws {
        let server = try await TestServer(kind) { $0.rateLimits.contactsPerAccount = 3 }
        try await server.publishCreator("cake-one")
        try await server.run { api in
            let token = try #require(try await api.register("busy@example.com")["access_token"] as? String)
            for _ in 0..<3 { #expect(try await api.send(.post, "creators/cake-one/contact", token: token).status == .ok) }
            let limited = try await api.send(.post, "creators/cake-one/contact", token: token)
            #expect(limited.status == .tooManyRequests && limited.errorCode == "rate_limited")
            #expect((1...60).contains(Int(limited.headers[.retryAfter] ?? "") ?? 0), "\(limited.headers)")
            if kind == .postgres {
                // Counted in the store: once its window has ended, the account may reveal again.
                try await server.database.execute("UPDATE rate_windows SET started_at = started_at - interval '61 seconds'", [])
                #expect(try await api.send(.post, "creators/cake-one/contact", token: token).status == .ok)
            }
        }
        // The refused reveal is recorded as such, not as the repeat it would have been.
        let outcomes = try await server.database.texts("SELECT outcome FROM contact_attempts ORDER BY id")
        #expect(outcomes == ["revealed", "repeat", "repeat", "rate_limited"] + (kind == .postgres ? ["repeat"] : []))
    }

    @Test(arguments: StoreKind.allCases) func plansAndListPaging(_ kind: StoreKind) async throws {
        let server = try await Self.server(kind, freeContacts: 5)
        for index in 0..<5 { try await server.publishCreator("page-\(index)", number: 30000 + index) }
        try await server.run { api in
            let plans = try await api.send(.get, "plans")
            #expect(plans.status == .ok && (plans.json["items"] as? [[String: Any]])?.count == 1 && plans.json["next_cursor"] is NSNull)
            let token = try #require(try await api.register("pager@example.com")["access_token"] as? String)
            for index in 0..<5 { _ = try await api.send(.post, "creators/page-\(index)/contact", token: token) }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let path = "contacts?limit=2" + (cursor.map { "&cursor=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0)" } ?? "")
                let page = try await api.send(.get, path, token: token)
                #expect(page.status == .ok)
                seen += (page.json["items"] as? [[String: Any]] ?? []).compactMap { $0["creator_slug"] as? String }
                cursor = page.json["next_cursor"] as? String
            } while cursor != nil && seen.count < 10
            #expect(seen.count == 5 && Set(seen).count == 5)
            #expect(try await api.send(.get, "contacts?limit=0", token: token).status == .unprocessableContent)
            #expect(try await api.send(.get, "contacts?limit=101", token: token).status == .unprocessableContent)
        }
    }
}

extension ContactTests {
    /// No field means a NUL, and PostgreSQL's text cannot hold one: refused at the edge
    /// with 422, before anything is recorded, on every store alike.
    @Test(arguments: StoreKind.allCases) func textWithANulIsRefusedBeforeAnythingIsRecorded(_ kind: StoreKind) async throws {
        let server = try await Self.server(kind)
        try await server.publishCreator("cake-one")
        try await server.run { api in
            let token = try #require(try await api.register("asha@example.com")["access_token"] as? String)
            let reveal = try await api.send(.post, "creators/cake-one/contact", raw: #"{"message": "Sunday\u0000cake"}"#, token: token)
            #expect(reveal.status == .unprocessableContent && reveal.errorCode == "validation_failed", "\(reveal.text)")
            let signUp = try await api.send(.post, "auth/register", raw: #"{"email": "nul@example.com", "password": "correct horse battery", "name": "A\u0000B"}"#)
            #expect(signUp.status == .unprocessableContent, "\(signUp.text)")
            // An escaped backslash before "u0000" is text, not a NUL.
            let plain = try await api.send(.post, "creators/cake-one/contact", raw: #"{"message": "C:\\u0000"}"#, token: token)
            #expect(plain.status == .ok, "\(plain.text)")
        }
        #expect(try await server.database.integers("SELECT COUNT(*) FROM contact_attempts") == [1])
    }

    /// A slug is part of the path, where anyone can write `%00`: it stays undecoded, no
    /// creator has it, and the attempt is recorded as any unknown slug's, on every store.
    @Test(arguments: StoreKind.allCases) func aSlugWithANulIsNotFound(_ kind: StoreKind) async throws {
        let server = try await Self.server(kind)
        try await server.publishCreator("cake-one")
        try await server.run { api in
            let token = try #require(try await api.register("asha@example.com")["access_token"] as? String)
            let reveal = try await api.send(.post, "creators/cake%00one/contact", token: token)
            #expect(reveal.status == .notFound && reveal.errorCode == "not_found", "\(reveal.text)")
        }
        #expect(try await server.database.texts("SELECT creator_slug FROM contact_attempts WHERE outcome = 'not_found'") == ["cake%00one"])
    }

    @Test(arguments: StoreKind.allCases) func aSuspendedAccountIsRefusedAtOnceAndTheAttemptRecorded(_ kind: StoreKind) async throws {
        let server = try await Self.server(kind)
        try await server.publishCreator("cake-one")
        try await server.run { api in
            let session = try await api.register("gone@example.com")
            let token = try #require(session["access_token"] as? String)
            let id = try #require((session["user"] as? [String: Any])?["id"] as? String)
            try await server.store.setStatus(.suspended, ofAccount: id)
            let reveal = try await api.send(.post, "creators/cake-one/contact", token: token)
            #expect(reveal.status == .forbidden && reveal.errorCode == "account_suspended")
            #expect(try await api.send(.get, "me", token: token).errorCode == "account_suspended")
            let refresh = try await api.send(.post, "auth/refresh", json: ["refresh_token": session["refresh_token"] as? String ?? ""])
            #expect(refresh.status == .forbidden)
        }
        let outcome = try await server.database.texts("SELECT outcome FROM contact_attempts").first
        #expect(outcome == "forbidden")
    }

    @Test(arguments: StoreKind.allCases) func theNumberRevealedIsTheApprovedRevisions(_ kind: StoreKind) async throws {
        let server = try await Self.server(kind)
        try await server.publishCreator("cake-one", number: 10001)
        // An edit with a new number, not yet approved.
        _ = try await server.store.recordRevision(NewRevision(slug: Slug("cake-one")!, contentSHA256: "edited", name: "Creator cake-one",
                                                              account: EmailAddress("owner@example.com")!, text: "edited", images: [],
                                                              contact: ContactDetails(phone: Phone("+91 50000 19999")!)))
        try await server.run { api in
            let token = try #require(try await api.register("check@example.com")["access_token"] as? String)
            let reveal = try await api.send(.post, "creators/cake-one/contact", token: token)
            #expect(reveal.json["phone"] as? String == "+915000010001")
        }
    }
}
