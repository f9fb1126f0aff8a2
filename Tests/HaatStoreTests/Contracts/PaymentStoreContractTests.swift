import Foundation
import HaatCore
import HaatStore
import StoreFixtures
import Testing

/// `recordPayment` on every store: one payment buys exactly one period, whatever reports
/// it and in whatever order; a later payment extends from the current end; wrong amounts,
/// unknown orders and replayed events grant nothing.
struct PaymentStoreContractTests {
    let start = Date(timeIntervalSince1970: 1_790_000_000)
    static let day: TimeInterval = 86_400

    func openStore(_ kind: StoreKind) async throws -> (any HaatStore, Account, OpenedStore) {
        let opened = try await kind.open()
        let account = try await opened.store.createAccount(email: EmailAddress("buyer@example.com")!, name: "Buyer", role: .customer, passwordHash: "x")
        return (opened.store, account, opened)
    }

    func order(_ id: String, for account: Account, amount: Int = 9900, days: Int = 30) -> PaymentOrder {
        PaymentOrder(id: id, accountID: account.id, planID: days == 30 ? "month" : "year", amountPaise: amount, currency: "INR",
                     periodDays: days, createdAt: start)
    }

    func captured(_ order: String, _ payment: String, amount: Int = 9900, via source: PaymentReport.Source = .checkout) -> PaymentReport {
        PaymentReport(source: source, kind: .captured, orderID: order, paymentID: payment, amountPaise: amount, currency: "INR")
    }

    @Test(arguments: StoreKind.allCases) func onePaymentBuysOnePeriodHoweverOftenItIsReported(_ kind: StoreKind) async throws {
        let (store, account, opened) = try await openStore(kind)
        try await store.recordPaymentOrder(order("order_A", for: account))

        let first = try await store.recordPayment(captured("order_A", "pay_A", via: .webhook(eventID: "evt_2", event: "order.paid")), now: start)
        guard case .granted(let subscription) = first else { Issue.record("expected a grant, got \(first)"); return }
        #expect(subscription.status == .active && subscription.planID == "month")
        #expect(subscription.currentPeriodEnd == start.addingTimeInterval(30 * Self.day))

        // The other reports of the same payment, later, in another order: nothing more.
        let later = start.addingTimeInterval(60)
        #expect(try await store.recordPayment(captured("order_A", "pay_A", via: .webhook(eventID: "evt_1", event: "payment.captured")), now: later)
            == .alreadyGranted(subscription))
        #expect(try await store.recordPayment(captured("order_A", "pay_A"), now: later) == .alreadyGranted(subscription))
        #expect(try await store.recordPayment(captured("order_A", "pay_A", via: .webhook(eventID: "evt_2", event: "order.paid")), now: later)
            == .duplicateEvent)
        let quota = try await store.quota(of: account.id, freeLimit: 2, now: later)
        #expect(quota.subscription == subscription)
        let events = try await opened.texts("SELECT event || ':' || outcome FROM payment_events ORDER BY id")
        // Every report is kept except the replayed event.
        #expect(events == ["order.paid:granted", "payment.captured:already_granted", "verify:already_granted"])
        try await opened.close()
    }

    @Test(arguments: StoreKind.allCases) func aSecondPaymentExtendsFromTheCurrentEndAndAnExpiredOneStartsAnew(_ kind: StoreKind) async throws {
        let (store, account, opened) = try await openStore(kind)
        try await store.recordPaymentOrder(order("order_A", for: account))
        try await store.recordPaymentOrder(order("order_B", for: account, amount: 79900, days: 365))
        try await store.recordPaymentOrder(order("order_C", for: account))

        guard case .granted(let first) = try await store.recordPayment(captured("order_A", "pay_A"), now: start) else { Issue.record("no grant"); return }
        let tenDaysIn = start.addingTimeInterval(10 * Self.day)
        guard case .granted(let extended) = try await store.recordPayment(captured("order_B", "pay_B", amount: 79900), now: tenDaysIn) else {
            Issue.record("no grant"); return
        }
        #expect(extended.id == first.id && extended.planID == "year")
        #expect(extended.currentPeriodEnd == start.addingTimeInterval((30 + 365) * Self.day))

        // Long after it ended: expired, and the next payment starts a new period from now.
        let muchLater = start.addingTimeInterval(500 * Self.day)
        #expect(try await store.quota(of: account.id, freeLimit: 2, now: muchLater).subscription?.status == .expired)
        guard case .granted(let renewed) = try await store.recordPayment(captured("order_C", "pay_C"), now: muchLater) else { Issue.record("no grant"); return }
        #expect(renewed.id != first.id && renewed.currentPeriodEnd == muchLater.addingTimeInterval(30 * Self.day))
        #expect(try await store.quota(of: account.id, freeLimit: 2, now: muchLater).subscription == renewed)
        try await opened.close()
    }

    @Test(arguments: StoreKind.allCases) func wrongAmountsUnknownOrdersAndFailuresGrantNothing(_ kind: StoreKind) async throws {
        let (store, account, opened) = try await openStore(kind)
        try await store.recordPaymentOrder(order("order_A", for: account))
        #expect(try await store.recordPayment(captured("order_A", "pay_X", amount: 100, via: .webhook(eventID: "e1", event: "payment.captured")), now: start)
            == .amountMismatch)
        #expect(try await store.recordPayment(PaymentReport(source: .webhook(eventID: "e2", event: "payment.captured"), kind: .captured,
                                                            orderID: "order_A", paymentID: "pay_Y", amountPaise: 9900, currency: "USD"), now: start)
            == .amountMismatch)
        #expect(try await store.recordPayment(captured("order_nobody", "pay_Z", via: .webhook(eventID: "e3", event: "order.paid")), now: start)
            == .unknownOrder)
        #expect(try await store.recordPayment(PaymentReport(source: .webhook(eventID: "e4", event: "payment.failed"), kind: .failed,
                                                            orderID: "order_A", paymentID: "pay_F", amountPaise: 9900, currency: "INR"), now: start)
            == .recorded)
        #expect(try await store.quota(of: account.id, freeLimit: 2, now: start).subscription == nil)
        // The order is still payable: the right payment grants.
        guard case .granted = try await store.recordPayment(captured("order_A", "pay_A"), now: start) else { Issue.record("no grant"); return }
        #expect(try await store.recordPayment(captured("order_A", "pay_X", amount: 100, via: .webhook(eventID: "e1", event: "payment.captured")), now: start)
            == .duplicateEvent)
        try await opened.close()
    }

    @Test(arguments: StoreKind.allCases) func concurrentReportsOfOnePaymentGrantOnce(_ kind: StoreKind) async throws {
        let (store, account, opened) = try await openStore(kind)
        try await store.recordPaymentOrder(order("order_A", for: account))
        let outcomes = try await withThrowingTaskGroup(of: PaymentOutcome.self) { group in
            for index in 0..<40 {
                let source: PaymentReport.Source = index % 2 == 0 ? .checkout : .webhook(eventID: "evt_\(index % 6)", event: "payment.captured")
                group.addTask { try await store.recordPayment(captured("order_A", "pay_A", via: source), now: start) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { if case .granted = $0 { true } else { false } }.count == 1)
        #expect(try await opened.texts("SELECT CAST(COUNT(*) AS TEXT) FROM subscriptions") == ["1"])
        #expect(try await store.quota(of: account.id, freeLimit: 2, now: start).subscription?.currentPeriodEnd == start.addingTimeInterval(30 * Self.day))
        try await opened.close()
    }
}
