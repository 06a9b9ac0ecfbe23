import Foundation
import HubCore
import Testing

extension PanelFixture {
    /// A small deterministic generator (SplitMix64), so the property test is reproducible.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
    }
}

@Suite("Feedback panels: client keys, limits and rotation")
struct FeedbackPanelAbuseTests {
    typealias F = PanelFixture

    // MARK: Client keys

    @Test("A client key is stable for a client, panel and day, and differs across panels and days")
    func keyScope() {
        let key = F.keyring().current
        #expect(F.keyring().current == key && key.value.count == 32)
        #expect(F.keyring(panel: PanelID(UUID())).current != key)
        #expect(F.keyring(at: F.now.addingTimeInterval(86_400)).current != key)
        #expect(F.keyring("203.0.113.8").current != key)
    }

    @Test("Address forms that are the same client give the same key", arguments: [
        ("2001:db8:1:2::1", "2001:DB8:1:2:AAAA:BBBB:CCCC:DDDD", true),
        ("2001:db8:1:2::1", "[2001:db8:1:2::7]", true),
        ("fe80::1%eth0", "fe80::2", true),
        ("2001:db8:1:2::1", "2001:db8:1:3::1", false),
        ("::ffff:203.0.113.7", "203.0.113.7", true),
        ("::ffff:cb00:7107", "203.0.113.7", true),
        (" 203.0.113.7 ", "203.0.113.7", true),
        ("203.0.113.7", "203.0.113.70", false),
        ("2001:db8::+1", "2001:db8::1", false),
    ])
    func addressForms(a: String, b: String, same: Bool) {
        #expect((F.keyring(a).current == F.keyring(b).current) == same)
    }

    @Test("Without the current day's secret there is no key: the caller must rotate first")
    func missingSecret() {
        let stale = [ClientKeySecret(epoch: F.rotation.epoch(at: F.now) - 1, bytes: Data("old".utf8))]
        #expect(ClientKeyring.derive(address: "203.0.113.7", panel: F.panelID, secrets: stale, now: F.now, keyedHash: F.keyed) == nil)
    }

    // MARK: Rotation

    @Test("Rotation: today's secret is created, yesterday's matches for a day more, older ones are deleted")
    func rotation() {
        let r = ClientKeyRotation.standard
        let today = r.epoch(at: F.now)
        #expect(r.start(of: today) == F.date("2026-05-04T00:00:00Z") && r.expiry(of: today) == F.date("2026-05-06T00:00:00Z"))
        #expect(r.liveEpochs(at: F.now) == [today, today - 1])
        #expect(r.liveEpochs(at: F.date("2026-05-04T00:00:00Z")) == [today, today - 1])
        let plan = r.plan(held: [today - 3, today - 2, today - 1], now: F.now, fresh: Data("fresh".utf8))
        #expect(plan.create == ClientKeySecret(epoch: today, bytes: Data("fresh".utf8)) && plan.delete == [today - 3, today - 2])
        let settled = r.plan(held: [today, today - 1], now: F.now, fresh: Data())
        #expect(settled.create == nil && settled.delete.isEmpty)
        #expect(!"\(ClientKeySecret(epoch: 1, bytes: Data("topsecret".utf8)))".contains("topsecret"))
    }

    @Test("Yesterday's key counts against today's budget until the overlap ends, then matches nothing")
    func keyExpiry() {
        let monday = F.date("2026-05-04T22:00:00Z")
        let mondayKey = F.keyring(at: monday).current
        let tuesday = F.date("2026-05-05T08:00:00Z")
        #expect(F.keyring(at: tuesday).earlier == [mondayKey])
        let wednesday = F.date("2026-05-06T00:00:00Z")
        #expect(!F.keyring(at: wednesday).all.contains(mondayKey), "Monday's secret has expired; its keys are unlinkable")
        // Even if a store still handed Monday's secret over, it is ignored after expiry.
        let leftovers = F.secrets(at: wednesday) + [ClientKeySecret(epoch: mondayKey.epoch, bytes: Data("secret-\(mondayKey.epoch)".utf8))]
        let ring = ClientKeyring.derive(address: "203.0.113.7", panel: F.panelID, secrets: leftovers, now: wednesday, keyedHash: F.keyed)
        #expect(ring?.all.contains(mondayKey) == false)
    }

    // MARK: Limits

    static func near(_ a: Date, _ b: Date) -> Bool { abs(a.timeIntervalSince(b)) < 0.001 }

    /// Runs submissions at the given offsets from `F.now`; returns the decisions.
    static func run(_ limits: SubmissionLimits, at offsets: [TimeInterval], from start: [SubmissionAllowance] = []) -> [LimitDecision] {
        var state = start
        return offsets.map { offset in
            let decision = SubmissionLimiter.decide(limits: limits, states: state, now: F.now.addingTimeInterval(offset))
            if case .allow(let next, _) = decision { state = [next] }
            return decision
        }
    }

    static func allowed(_ decisions: [LimitDecision]) -> Int {
        decisions.filter { if case .allow = $0 { true } else { false } }.count
    }

    @Test("Ten an hour at once, then one every six minutes; the entry expires when both buckets are empty")
    func hourly() {
        let limits = SubmissionLimits(perHour: 10, perDay: 40)
        let decisions = Self.run(limits, at: Array(repeating: 0, count: 11) + [359, 360, 361])
        #expect(Self.allowed(Array(decisions.prefix(10))) == 10)
        #expect(decisions[10] == .deny(retryAfter: 360))
        #expect(decisions[11] == .deny(retryAfter: 1))
        guard case .allow(let after, let expiresAt) = decisions[12] else { Issue.record("a token should be back at 360 s"); return }
        #expect(after.hourLevel == 10 && Self.near(expiresAt, F.now.addingTimeInterval(11 * 2160)))
        #expect(decisions[13] == .deny(retryAfter: 359))
    }

    @Test("Someone who keeps going is held to the daily rate: forty in a burst, then one every 36 minutes")
    func daily() {
        let limits = SubmissionLimits(perHour: 10, perDay: 40)
        // One every 400 s: the hourly bucket never fills (it drains 1.1 per step), the daily one does.
        let decisions = Self.run(limits, at: (0..<60).map { Double($0) * 400 })
        #expect(Self.allowed(Array(decisions.prefix(48))) == 48)
        #expect(decisions[48] == .deny(retryAfter: 240))
        #expect(Self.allowed(decisions) < 60, "later attempts pass only as the bucket drains")
    }

    @Test("A limit like 7 an hour is exact: seven at once pass despite rounding")
    func rounding() {
        let decisions = Self.run(SubmissionLimits(perHour: 7, perDay: 100), at: Array(repeating: 0, count: 8))
        #expect(Self.allowed(decisions) == 7)
        #expect(decisions[7] == .deny(retryAfter: 515))
        let daily = Self.run(SubmissionLimits(perHour: 7, perDay: 7), at: Array(repeating: 0, count: 8))
        #expect(Self.allowed(daily) == 7 && daily[7] == .deny(retryAfter: 12_343))
    }

    @Test("The fullest bucket of the keyring counts (a client keeps its budget across the key rotation)")
    func merged() {
        let limits = SubmissionLimits(perHour: 2, perDay: 10)
        let fresh = SubmissionAllowance(hourLevel: 0, dayLevel: 0, at: F.now)
        let spent = SubmissionAllowance(hourLevel: 2, dayLevel: 2, at: F.now)
        #expect(SubmissionLimiter.decide(limits: limits, states: [fresh, spent], now: F.now) == .deny(retryAfter: 1800))
        guard case .allow = SubmissionLimiter.decide(limits: limits, states: [fresh], now: F.now) else { Issue.record("fresh refused"); return }
    }

    @Test("Raising a panel's limits takes effect at once")
    func raised() {
        let spent = SubmissionAllowance(hourLevel: 10, dayLevel: 10, at: F.now)
        #expect(SubmissionLimiter.decide(limits: .standard, states: [spent], now: F.now) == .deny(retryAfter: 360))
        guard case .allow(let next, _) = SubmissionLimiter.decide(limits: SubmissionLimits(perHour: 60, perDay: 200), states: [spent], now: F.now) else {
            Issue.record("refused after the raise"); return
        }
        #expect(next.hourLevel == 11)
    }

    @Test("Through the rules: the eleventh submission in an hour is refused with Retry-After; others are not affected")
    func limitsThroughRules() throws {
        var allowances: [SubmissionAllowance] = []
        for i in 1...10 {
            guard case .accepted(let a) = try F.submit(F.request(F.content(text: "Nummer \(i)")), allowances: allowances) else { Issue.record("refused"); return }
            allowances = [a.allowance]
        }
        do throws(DomainError) {
            _ = try F.submit(F.request(F.content(text: "Nummer 11")), allowances: allowances)
            Issue.record("expected a refusal")
        } catch {
            #expect(error.kind == .rateLimited && error.code == "panel.rateLimited" && error.retryAfter == 360)
        }
        // Another client has its own key and so its own (empty) allowance.
        guard case .accepted = try F.submit(F.request(F.content(text: "Nummer 11")), keys: F.keyring("198.51.100.1")) else { Issue.record("refused"); return }
        // A raised limit lets a workshop room answer from one network.
        let raised = F.panel(limits: SubmissionLimits(perHour: 60, perDay: 200))
        guard case .accepted = try F.submit(F.request(F.content(text: "Nummer 11")), to: raised, allowances: allowances) else { Issue.record("refused"); return }
    }

    // MARK: No address anywhere

    static func randomAddress(_ g: inout F.Generator) -> (text: String, fragments: [String]) {
        if Bool.random(using: &g) {
            let octets = (0..<4).map { _ in Int.random(in: 1...254, using: &g) }
            let text = octets.map(String.init).joined(separator: ".")
            return (text, [text])
        }
        let groups = (0..<8).map { _ in String(Int.random(in: 0x1000...0xffff, using: &g), radix: 16) }
        let text = groups.joined(separator: ":")
        return (text, [text, groups[0..<4].joined(separator: ":")])
    }

    static func randomWord(_ g: inout F.Generator) -> String {
        String((0..<Int.random(in: 3...12, using: &g)).map { _ in "abcdefghijklmnopqrstuvwxyzäöü ".randomElement(using: &g)! })
    }

    @Test("Property: random submissions never produce a stored or returned value containing the client address")
    func noAddressStored() throws {
        var g = F.Generator(state: 0x5eed_cafe)
        func json(_ value: some Encodable) -> String {
            guard let data = try? JSONEncoder().encode(value) else { Issue.record("not encodable"); return "" }
            return String(decoding: data, as: UTF8.self)
        }
        for round in 0..<300 {
            let (address, fragments) = Self.randomAddress(&g)
            let panel = F.panel(moderation: Bool.random(using: &g) ? .pre : .post, id: PanelID(UUID()))
            let at = F.now.addingTimeInterval(Double(Int.random(in: 0...(20 * 86_400), using: &g)))
            let keys = try #require(ClientKeyring.derive(address: address, panel: panel.id, secrets: F.secrets(at: at), now: at, keyedHash: F.keyed))
            var input = F.content(scale: Int.random(in: 1...5, using: &g), text: Self.randomWord(&g))
            input.pseudonym = Bool.random(using: &g) ? Self.randomWord(&g) : nil
            let request = F.request(input, honeypot: round % 17 == 0 ? "bot" : nil)
            var outputs = [String(describing: keys), json(keys.all)]
            do throws(DomainError) {
                let outcome = try SubmissionRules.submit(request, to: panel, id: SubmissionID(UUID()), receipt: F.code(UInt8(round % 256)), clientKeys: keys,
                                                         allowances: [], recent: [], invite: nil, now: at, hash: F.hash)
                outputs.append(String(describing: outcome))
                if case .accepted(let a) = outcome {
                    outputs += [json(a.submission), json(a.allowance), json(a.key), String(describing: a), String(describing: a.events)]
                    let (withdrawn, events) = try SubmissionRules.withdraw(a.submission, of: panel, receipt: F.code(UInt8(round % 256)).value, now: at, hash: F.hash)
                    outputs += [json(withdrawn), String(describing: events)]
                }
            } catch {
                outputs.append(String(describing: error))
            }
            for output in outputs {
                for fragment in fragments { #expect(!output.contains(fragment), "round \(round): \(fragment) leaked") }
            }
        }
    }
}
