import Foundation
import HaatCore
import HaatImages
@testable import HaatStore
import Hummingbird
import StoreFixtures
import Testing
@testable import HaatServer

/// API.md "Creator side": an email alone is no proof of owning a profile. Registering with
/// the email an approved profile names (its owner never signed up) gives nothing of it,
/// on any route, until an admin confirms the owner; then the leads that waited arrive.
struct ProfileOwnershipTests {
    static let owner = "bhet-boxes@example.com"

    /// "bhet-boxes", approved, with a picture, naming an email nobody has signed up with.
    static func bed(_ kind: StoreKind) async throws -> TestServer {
        let server = try await TestServer(kind) { $0.notificationPingInterval = .seconds(1) }
        try server.usePublishing([
            "creators/bhet-boxes/index.md": TestServer.creatorFile(name: "Bhet Boxes", account: Self.owner, number: 10003)
                .replacingOccurrences(of: "services:", with: "portfolio:\n  - {image: box-1.jpg, caption: A wedding hamper}\nservices:"),
        ])
        try Data(try SyntheticImage.make(width: 640, height: 480)).write(to: server.contentFolder.appendingPathComponent("creators/bhet-boxes/box-1.jpg"))
        try await server.importAndApprove(["bhet-boxes"], confirmingOwners: false)
        server.configuration.freeContacts = 5
        return server
    }

    @Test(arguments: StoreKind.allCases) func registeringAProfilesEmailGivesNothingUntilAnAdminConfirms(_ kind: StoreKind) async throws {
        let server = try await Self.bed(kind)
        try await server.run { api in
            let customer = try await CreatorLeadTests.signUp(api, "meera@example.com")
            let contactID = try await CreatorLeadTests.reveal(api, customer, "bhet-boxes", service: "Wedding hamper", message: "Call after 6")
            // Anyone may register the email; it proves nothing of the profile.
            let stranger = try await CreatorLeadTests.signUp(api, Self.owner, role: "creator")
            let admin = try await server.adminToken(api)

            let listed = try await api.send(.get, "creator/profiles", token: stranger.token)
            let item = try #require((listed.json["items"] as? [[String: Any]])?.first)
            #expect(item["slug"] as? String == "bhet-boxes" && item["owner_confirmed"] as? Bool == false, "\(listed.text)")

            let source = try await api.send(.get, "creator/profiles/bhet-boxes/source", token: stranger.token)
            #expect(source.status == .notFound && !source.text.contains("50000"), "the private contact block: \(source.text)")
            let text = TestServer.creatorFile(name: "Mine Now", account: Self.owner, number: 10003)
            let save = try await api.send(.put, "creator/profiles/bhet-boxes/source", json: ["text": text, "base_sha256": item["content_sha256"] ?? ""],
                                          token: stranger.token)
            #expect(save.status == .notFound)
            #expect(try await api.send(.post, "creator/profiles/bhet-boxes/preview", json: ["text": text], token: stranger.token).status == .notFound)
            #expect(try await api.send(.get, "creator/profiles/bhet-boxes/images/box-1.jpg", token: stranger.token).status == .notFound)
            #expect(try await api.send(.delete, "creator/profiles/bhet-boxes/images/box-1.jpg", token: stranger.token).status == .notFound)
            let upload = try await api.send(.post, "creator/profiles/bhet-boxes/images?name=new.jpg", bytes: try SyntheticImage.make(width: 64, height: 64),
                                            token: stranger.token, headers: [.contentType: "image/jpeg"])
            #expect(upload.status == .notFound)

            let leads = try await api.send(.get, "creator/leads", token: stranger.token)
            #expect(leads.status == .ok && (leads.json["items"] as? [Any])?.isEmpty == true && !leads.text.contains("77777"), "\(leads.text)")
            #expect(try await api.send(.patch, "creator/leads/\(contactID)", json: ["status": "won"], token: stranger.token).status == .notFound)
            #expect(try await api.send(.get, "creator/analytics", token: stranger.token).json["total"] as? Int == 0)
            let report = try await api.send(.post, "reports", json: ["contact_id": contactID, "reason": "spam"], token: stranger.token)
            #expect(report.status == .notFound)
            // The socket opens (the ticket is the account's) but replays nothing of the profile.
            let socket = try await CreatorLeadTests.listen(api, ticket: try await CreatorLeadTests.ticket(api, stranger), leads: 0, waitForPing: true)
            #expect(socket.seqs.isEmpty && socket.pings > 0)
            // Nothing was written to the bundle.
            let file = try String(contentsOf: server.contentFolder.appendingPathComponent("creators/bhet-boxes/index.md"), encoding: .utf8)
            #expect(file.contains("Bhet Boxes") && !file.contains("Mine Now"))

            // The admin sees who claims it, and confirms; the waiting lead arrives.
            let adminItem = try await api.send(.get, "admin/creators", token: admin).json["items"] as? [[String: Any]]
            let owner = try #require(adminItem?.first?["owner"] as? [String: Any])
            #expect(owner["email"] as? String == Self.owner && owner["confirmed"] as? Bool == false)
            let confirmed = try await api.send(.post, "admin/creators/bhet-boxes/confirm-owner", token: admin)
            #expect(confirmed.status == .ok, "\(confirmed.text)")
            #expect(confirmed.json["slug"] as? String == "bhet-boxes")
            let confirmedOwner = confirmed.json["owner"] as? [String: Any]
            #expect(confirmedOwner?["email"] as? String == Self.owner && confirmedOwner?["confirmed"] as? Bool == true)
            let after = try await api.send(.get, "creator/leads", token: stranger.token).json["items"] as? [[String: Any]]
            #expect(after?.map { $0["contact_id"] as? String } == [contactID] && after?.first?["callback_phone"] as? String == "+915000077777")
            #expect(try await api.send(.get, "creator/profiles/bhet-boxes/source", token: stranger.token).status == .ok)
            let replay = try await CreatorLeadTests.listen(api, ticket: try await CreatorLeadTests.ticket(api, stranger), leads: 1)
            #expect(replay.contactIDs == [contactID])
            let relisted = try await api.send(.get, "creator/profiles", token: stranger.token).json["items"] as? [[String: Any]]
            #expect(relisted?.first?["owner_confirmed"] as? Bool == true)
        }
    }

    /// Leads of an unconfirmed profile wait behind the account's other leads; once
    /// confirmed they arrive live on an open socket, numbered after what it acknowledged.
    @Test(arguments: StoreKind.allCases) func confirmationDeliversTheWaitingLeadsLiveAfterAcknowledgedOnes(_ kind: StoreKind) async throws {
        let server = try await CreatorLeadTests.server(kind)
        try await server.publishCreator("maker-two", account: "asha@example.com", number: 10009, ownerConfirmed: false)
        try await server.run { api in
            let asha = try await CreatorLeadTests.signUp(api, "asha@example.com", role: "creator")
            let admin = try await server.adminToken(api)
            let waiting = try await CreatorLeadTests.reveal(api, try await CreatorLeadTests.signUp(api, "first@example.com"), "maker-two")
            let visible = try await CreatorLeadTests.reveal(api, try await CreatorLeadTests.signUp(api, "second@example.com"), "asha-cakes")
            let first = try await CreatorLeadTests.listen(api, ticket: try await CreatorLeadTests.ticket(api, asha), leads: 1, ackUpTo: 2)
            #expect(first.contactIDs == [visible] && first.seqs == [2])
            _ = try await CreatorLeadTests.acknowledgementMark(server, reaching: 2)
            // Open again, and confirm while it is open: the waiting lead comes live, as seq 3.
            let live = try await CreatorLeadTests.listen(api, ticket: try await CreatorLeadTests.ticket(api, asha), leads: 1) {
                let reply = try await api.send(.post, "admin/creators/maker-two/confirm-owner", token: admin)
                #expect(reply.status == .ok, "\(reply.text)")
            }
            #expect(live.contactIDs == [waiting] && live.seqs == [3])
            // Confirming again changes nothing and delivers nothing twice.
            #expect(try await api.send(.post, "admin/creators/maker-two/confirm-owner", token: admin).status == .ok)
            let leads = try await api.send(.get, "creator/leads", token: asha.token).json["items"] as? [[String: Any]]
            #expect(leads?.compactMap { $0["contact_id"] as? String } == [waiting, visible])
        }
    }

    @Test(arguments: StoreKind.allCases) func confirmOwnerRefusals(_ kind: StoreKind) async throws {
        let server = try await Self.bed(kind)
        try await server.run { api in
            let admin = try await server.adminToken(api)
            let nobody = try await api.send(.post, "admin/creators/bhet-boxes/confirm-owner", token: admin)
            #expect(nobody.status == .conflict && nobody.errorCode == "conflict", "no account has the email yet: \(nobody.text)")
            let item = try await api.send(.get, "admin/creators", token: admin).json["items"] as? [[String: Any]]
            #expect(item?.first?["owner"] is NSNull)
            #expect(try await api.send(.post, "admin/creators/no-such-maker/confirm-owner", token: admin).status == .notFound)
            let stranger = try await CreatorLeadTests.signUp(api, Self.owner, role: "creator")
            let notAdmin = try await api.send(.post, "admin/creators/bhet-boxes/confirm-owner", token: stranger.token)
            #expect(notAdmin.status == .forbidden)
            #expect(try await api.send(.post, "admin/creators/bhet-boxes/confirm-owner").status == .unauthorized)
        }
    }

    @Test(arguments: StoreKind.allCases) func aProfileTheAccountStartedAndAnOperatorsAccountAreConfirmedAtOnce(_ kind: StoreKind) async throws {
        let server = try await Self.bed(kind)
        _ = try await server.store.createAccount(email: EmailAddress(Self.owner)!, name: "Bhet", role: .creator, passwordHash: "x", emailVouched: true)
        #expect(try await server.store.creator(Slug("bhet-boxes")!)?.ownerConfirmed == true, "haat admin create-user vouches for the email")
        try await server.run { api in
            let maker = try await CreatorLeadTests.signUp(api, "maker@example.com", role: "creator")
            let created = try await api.send(.post, "creator/profiles", json: ["slug": "sweet-tooth", "name": "Sweet Tooth", "category": "cakes", "city": "pune"],
                                             token: maker.token)
            #expect(created.status == .created && created.json["owner_confirmed"] as? Bool == true, "\(created.text)")
            #expect(try await api.send(.get, "creator/profiles/sweet-tooth/source", token: maker.token).status == .ok)
        }
    }
}
