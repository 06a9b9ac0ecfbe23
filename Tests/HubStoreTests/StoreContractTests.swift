import Foundation
import HubCore
import HubServices
import Testing

/// The contract every store adapter must pass. Parameterized over `StoreBackend.all`.
@Suite("Store contract", .cleansUpStores)
struct StoreContractTests {
    @Test("A commit assigns each topic the next sequence number, exactly one higher", arguments: StoreBackend.all)
    func sequences(backend: StoreBackend) async throws {
        let h = try await StoreHarness(backend)
        let w = h.workspace()
        let first = try await h.store.commit(ChangeSet(changes: [.insertWorkspace(w)],
                                                       events: [h.event(.directory), h.event(.workspace(w.id)), h.event(.directory)]))
        #expect(first.map(\.seq) == [1, 1, 2])
        #expect(first.map(\.topic) == ["directory", "workspace:\(w.id)", "directory"])
        let second = try await h.store.commit(ChangeSet(events: [h.event(.directory)]))
        #expect(second.map(\.seq) == [3])
        #expect(h.observer.all == first + second)
    }

    @Test("State and events commit together: a refused change leaves neither", arguments: StoreBackend.all)
    func atomicity(backend: StoreBackend) async throws {
        let h = try await StoreHarness(backend)
        let w = h.workspace()
        _ = try await h.store.commit(ChangeSet(changes: [.insertWorkspace(w)], events: [h.event(.directory)]))
        var stale = w
        stale.name = "Umbenannt"
        stale.version = 2
        await #expect(throws: StoreError.conflict) {
            try await h.store.commit(ChangeSet(changes: [.updateWorkspace(stale, expectedVersion: 7)], events: [h.event(.directory)]))
        }
        #expect(try await h.store.workspace(w.id)?.name == "Fokusgruppe Integration")
        let range = try await h.store.events(topic: .directory, after: 0, limit: 10)
        #expect(range.head == 1 && range.events.count == 1)
        #expect(h.observer.all.count == 1)
    }

    @Test("Optimistic concurrency: of two updates based on the same version, exactly one wins", arguments: StoreBackend.all)
    func lostUpdate(backend: StoreBackend) async throws {
        let h = try await StoreHarness(backend)
        let w = h.workspace()
        _ = try await h.store.commit(ChangeSet(changes: [.insertWorkspace(w)]))
        let results = await withTaskGroup(of: Bool.self) { group in
            for name in ["Variante A", "Variante B"] {
                group.addTask {
                    var next = w
                    next.name = name
                    next.version = 2
                    return (try? await h.store.commit(ChangeSet(changes: [.updateWorkspace(next, expectedVersion: 1)]))) != nil
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.filter { $0 }.count == 1)
        let stored = try #require(try await h.store.workspace(w.id))
        #expect(stored.version == 2 && ["Variante A", "Variante B"].contains(stored.name))
    }

    @Test("Group commit: 200 concurrent commits give a gap-free sequence, and a refused one does not affect its group", arguments: StoreBackend.all)
    func concurrentCommits(backend: StoreBackend) async throws {
        let h = try await StoreHarness(backend)
        let taken = h.user("taken@example.org")
        _ = try await h.store.commit(ChangeSet(changes: [.insertUser(taken, passwordHash: "x")]))
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<200 {
                group.addTask {
                    // Every 20th commit violates a unique constraint and must fail alone.
                    let email = i % 20 == 0 ? "taken@example.org" : "user\(i)@example.org"
                    let changeSet = ChangeSet(changes: [.insertUser(h.user(email), passwordHash: "x")], events: [h.event(.directory)])
                    return (try? await h.store.commit(changeSet)) != nil
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 190)
        let range = try await h.store.events(topic: .directory, after: 0, limit: 1000)
        #expect(range.head == 190 && range.complete)
        #expect(range.events.map(\.seq) == Array(1...190))
        #expect(h.observer.all.map(\.seq) == Array(1...190), "observer sees commit order")
        #expect(try await h.store.userCount() == 191)
    }

    @Test("Reading after a sequence number: exact ranges, limits and completeness", arguments: StoreBackend.all)
    func ranges(backend: StoreBackend) async throws {
        let h = try await StoreHarness(backend)
        for _ in 0..<10 { _ = try await h.store.commit(ChangeSet(events: [h.event(.directory)])) }
        let tail = try await h.store.events(topic: .directory, after: 7, limit: 100)
        #expect(tail.events.map(\.seq) == [8, 9, 10] && tail.complete && tail.head == 10)
        let limited = try await h.store.events(topic: .directory, after: 2, limit: 3)
        #expect(limited.events.map(\.seq) == [3, 4, 5] && !limited.complete)
        let upToDate = try await h.store.events(topic: .directory, after: 10, limit: 100)
        #expect(upToDate.events.isEmpty && upToDate.complete)
        let future = try await h.store.events(topic: .directory, after: 11, limit: 100)
        #expect(!future.complete, "a client ahead of the log holds another history")
        let empty = try await h.store.events(topic: .workspace(WorkspaceID(UUID())), after: 0, limit: 100)
        #expect(empty.head == 0 && empty.complete && empty.events.isEmpty)
    }

    @Test("Pruned history is reported as incomplete; the head survives pruning", arguments: StoreBackend.all)
    func pruning(backend: StoreBackend) async throws {
        let h = try await StoreHarness(backend)
        for _ in 0..<3 { _ = try await h.store.commit(ChangeSet(events: [h.event(.directory)])) }
        h.clock.advance(3600)
        _ = try await h.store.commit(ChangeSet(events: [h.event(.directory)]))
        let removed = try await h.store.prune(eventsBefore: h.clock.now().addingTimeInterval(-60), now: h.clock.now())
        #expect(removed == 3)
        let old = try await h.store.events(topic: .directory, after: 1, limit: 100)
        #expect(!old.complete && old.head == 4)
        let recent = try await h.store.events(topic: .directory, after: 3, limit: 100)
        #expect(recent.complete && recent.events.map(\.seq) == [4])
    }

    @Test("The epoch persists across reopening; schema constraints hold", arguments: StoreBackend.all)
    func epochAndConstraints(backend: StoreBackend) async throws {
        let h = try await StoreHarness(backend)
        let epoch = h.store.epoch
        #expect(UUID(uuidString: epoch) != nil)
        let reopened = try await backend.make(h.directory, h.clock, RecordingObserver())
        #expect(reopened.epoch == epoch)
        let u = h.user("Dup@Example.org")
        _ = try await h.store.commit(ChangeSet(changes: [.insertUser(u, passwordHash: "x")]))
        await #expect(throws: StoreError.duplicate("email")) {
            try await h.store.commit(ChangeSet(changes: [.insertUser(h.user("dup@example.org"), passwordHash: "y")]))
        }
        await #expect(throws: StoreError.self) {
            try await h.store.commit(ChangeSet(changes: [.upsertMembership(Membership(workspaceID: WorkspaceID(UUID()), userID: u.id,
                                                                                      role: .member, organizationID: nil))]))
        }
        #expect(try await h.store.credentials(email: "DUP@example.org")?.0.id == u.id, "emails compare case-insensitively")
    }

    @Test("Workspaces, policy fields, members and sessions round-trip", arguments: StoreBackend.all)
    func roundTrip(backend: StoreBackend) async throws {
        let h = try await StoreHarness(backend)
        let field = PolicyField(id: PolicyFieldID(UUID()), key: "housing", nameDe: "Wohnen", nameEn: "Housing", prioritisedYears: [2023, 2026], version: 1)
        var w = h.workspace(fields: [field.id])
        w.kind = .taskForce
        w.endsOn = LocalDate("2027-06-30")
        let u = h.user()
        let session = SessionRecord(tokenHash: "abc", id: "s1", userID: u.id, kind: .browser, createdAt: h.clock.now(), expiresAt: h.clock.now().addingTimeInterval(60))
        let town = Organization(id: OrganizationID(UUID()), name: "Stadt Beispielhausen", kind: .municipality)
        let membership = Membership(workspaceID: w.id, userID: u.id, role: .coordinator, organizationID: town.id)
        _ = try await h.store.commit(ChangeSet(changes: [
            .insertPolicyField(field), .insertWorkspace(w), .insertUser(u, passwordHash: "hash"), .insertSession(session),
            .insertOrganization(town), .upsertMembership(membership),
        ]))
        #expect(try await h.store.policyField(field.id) == field)
        #expect(try await h.store.workspace(w.id) == w)
        #expect(try await h.store.workspaces().value == [w])
        #expect(try await h.store.members(of: w.id) == [MemberRow(membership: membership, displayName: "Person", organizationName: "Stadt Beispielhausen")])
        #expect(try await h.store.organizations() == [town])
        await #expect(throws: StoreError.duplicate("organization"), "organization names are unique, ignoring case") {
            try await h.store.commit(ChangeSet(changes: [.insertOrganization(Organization(id: OrganizationID(UUID()), name: "stadt beispielhausen", kind: .other))]))
        }
        #expect(try await h.store.memberships(of: u.id) == [w.id: .coordinator])
        #expect(try await h.store.session(tokenHash: "abc") == session)
        // What an authenticated request reads: the session, its user and their roles at once.
        let signedIn = try #require(try await h.store.signedIn(tokenHash: "abc"))
        #expect(signedIn.session == session && signedIn.memberships == [w.id: .coordinator])
        #expect(try await h.store.user(u.id) == signedIn.user && signedIn.user.id == u.id)
        #expect(try await h.store.signedIn(tokenHash: "unknown") == nil)
        _ = try await h.store.commit(ChangeSet(changes: [.deleteSession(tokenHash: "abc"), .deleteMembership(w.id, u.id)]))
        #expect(try await h.store.session(tokenHash: "abc") == nil)
        #expect(try await h.store.signedIn(tokenHash: "abc") == nil)
        #expect(try await h.store.membership(w.id, u.id) == nil)
    }

    @Test("A snapshot's cursor matches its contents", arguments: StoreBackend.all)
    func snapshotCursor(backend: StoreBackend) async throws {
        let h = try await StoreHarness(backend)
        let w = h.workspace()
        _ = try await h.store.commit(ChangeSet(changes: [.insertWorkspace(w)], events: [h.event(.directory), h.event(.directory)]))
        let snapshot = try await h.store.workspaces()
        #expect(snapshot.cursor == Cursor(topic: "directory", epoch: h.store.epoch, seq: 2))
        #expect(snapshot.value.map(\.id) == [w.id])
    }

    @Test("Identity records: sessions with second factor, TOTP, single-use recovery codes, invitations, audit", arguments: StoreBackend.all)
    func identity(backend: StoreBackend) async throws {
        let h = try await StoreHarness(backend)
        let u = h.user("person@example.org")
        let w = h.workspace()
        var session = SessionRecord(tokenHash: "t1", id: "s1", userID: u.id, kind: .api, name: "Export", scope: .read, secondFactor: .pending,
                                    createdAt: h.clock.now(), expiresAt: h.clock.now().addingTimeInterval(3600))
        _ = try await h.store.commit(ChangeSet(changes: [.insertUser(u, passwordHash: "h"), .insertWorkspace(w), .insertSession(session)]))
        session.secondFactor = .verified
        session.lastSeenAt = h.clock.now().addingTimeInterval(120)
        _ = try await h.store.commit(ChangeSet(changes: [.updateSession(session)]))
        #expect(try await h.store.session(tokenHash: "t1") == session)
        #expect(try await h.store.sessions(of: u.id) == [session])

        let credential = TOTPCredential(userID: u.id, secret: "JBSWY3DPEHPK3PXP", enabled: true, lastStep: 42, createdAt: h.clock.now())
        _ = try await h.store.commit(ChangeSet(changes: [.upsertTOTP(credential), .replaceRecoveryCodes(u.id, hashes: ["c1", "c2"])]))
        #expect(try await h.store.totp(u.id) == credential)
        #expect(try await h.store.hasUnusedRecoveryCode(u.id, hash: "c1"))
        _ = try await h.store.commit(ChangeSet(changes: [.useRecoveryCode(u.id, hash: "c1", at: h.clock.now())]))
        #expect(try await !h.store.hasUnusedRecoveryCode(u.id, hash: "c1"))
        await #expect(throws: StoreError.conflict, "a recovery code works once") {
            try await h.store.commit(ChangeSet(changes: [.useRecoveryCode(u.id, hash: "c1", at: h.clock.now())]))
        }

        var invitation = Invitation(id: InvitationID(UUID()), workspaceID: w.id, email: "new@example.org", role: .member, organizationID: nil,
                                    createdBy: u.id, createdAt: h.clock.now(), expiresAt: h.clock.now().addingTimeInterval(60), acceptedAt: nil, revoked: false)
        _ = try await h.store.commit(ChangeSet(changes: [.insertInvitation(invitation, tokenHash: "inv")]))
        #expect(try await h.store.invitation(tokenHash: "inv") == invitation)
        #expect(try await h.store.invitations(of: w.id) == [invitation])
        invitation.acceptedAt = h.clock.now()
        _ = try await h.store.commit(ChangeSet(changes: [.updateInvitation(invitation)]))
        #expect(try await h.store.invitation(invitation.id)?.acceptedAt == invitation.acceptedAt)
        await #expect(throws: StoreError.conflict, "an invitation is accepted once") {
            try await h.store.commit(ChangeSet(changes: [.updateInvitation(invitation)]))
        }

        for type in ["auth.ok", "auth.failed", "auth.ok"] {
            _ = try await h.store.commit(ChangeSet(changes: [.appendAudit(AuditEntry(at: h.clock.now(), type: type, actorID: u.id, addressHash: "a1"))]))
        }
        let all = try await h.store.audit(type: nil, actor: nil, limit: 10)
        #expect(all.map(\.entry.type) == ["auth.ok", "auth.failed", "auth.ok"], "newest first")
        #expect(all.first?.actorName == "Person")
        #expect(try await h.store.audit(type: "auth.failed", actor: u.id, limit: 10).count == 1)
        let secret = try await h.store.installationSecret("address-key")
        #expect(secret.count == 64)
        #expect(try await h.store.installationSecret("address-key") == secret, "created once, then kept")
    }
}

/// Concurrency the adapters must also get right: many writers on shared topics, shared secrets.
@Suite("Store contract under concurrency", .cleansUpStores)
struct StoreConcurrencyContractTests {
    @Test("Identity retention: settled invitations and resets go after the period, open ones stay; old audit entries go", arguments: StoreBackend.all)
    func identityRetention(backend: StoreBackend) async throws {
        let h = try await StoreHarness(backend)
        let u = h.user("person@example.org")
        let w = h.workspace()
        let now = h.clock.now()
        let day: TimeInterval = 86_400
        func invitation(_ email: String, created: TimeInterval, expires: TimeInterval, accepted: TimeInterval? = nil, revoked: Bool = false) -> Invitation {
            Invitation(id: InvitationID(UUID()), workspaceID: w.id, email: email, role: .member, organizationID: nil, createdBy: u.id,
                       createdAt: now.addingTimeInterval(created * day), expiresAt: now.addingTimeInterval(expires * day),
                       acceptedAt: accepted.map { now.addingTimeInterval($0 * day) }, revoked: revoked)
        }
        let acceptedLongAgo = invitation("a@example.org", created: -50, expires: -43, accepted: -45)
        let expiredLongAgo = invitation("b@example.org", created: -50, expires: -43)
        let revokedLongAgo = invitation("c@example.org", created: -50, expires: -43, revoked: true)
        let acceptedRecently = invitation("d@example.org", created: -10, expires: -3, accepted: -9)
        let open = invitation("e@example.org", created: -1, expires: 6)
        func reset(_ hash: String, created: TimeInterval, used: TimeInterval?) -> PasswordReset {
            PasswordReset(tokenHash: hash, userID: u.id, createdAt: now.addingTimeInterval(created * day),
                          expiresAt: now.addingTimeInterval(created * day + 3600), usedAt: used.map { now.addingTimeInterval($0 * day) })
        }
        var changes: [Change] = [.insertUser(u, passwordHash: "h"), .insertWorkspace(w)]
        for (i, inv) in [acceptedLongAgo, expiredLongAgo, revokedLongAgo, acceptedRecently, open].enumerated() {
            changes.append(.insertInvitation(inv, tokenHash: "inv-\(i)"))
        }
        changes += [.insertPasswordReset(reset("r-old", created: -40, used: -40)), .insertPasswordReset(reset("r-expired", created: -35, used: nil)),
                    .insertPasswordReset(reset("r-recent", created: -2, used: nil)), .insertPasswordReset(reset("r-open", created: 0, used: nil))]
        for age in [400.0, 366, 364, 1] {
            changes.append(.appendAudit(AuditEntry(at: now.addingTimeInterval(-age * day), type: "auth.ok", actorID: u.id, addressHash: "a1", detail: "\(Int(age))")))
        }
        _ = try await h.store.commit(ChangeSet(changes: changes))

        let report = try await h.store.purgeIdentityRecords(settledBefore: now.addingTimeInterval(-30 * day), auditBefore: now.addingTimeInterval(-365 * day))
        #expect(report == IdentityPurge(invitations: 3, passwordResets: 2, auditEntries: 2))
        #expect(Set(try await h.store.invitations(of: w.id).map(\.email)) == ["d@example.org", "e@example.org"])
        #expect(try await h.store.passwordReset(tokenHash: "r-old") == nil)
        #expect(try await h.store.passwordReset(tokenHash: "r-expired") == nil)
        #expect(try await h.store.passwordReset(tokenHash: "r-recent") != nil)
        #expect(try await h.store.passwordReset(tokenHash: "r-open") != nil)
        #expect(try await h.store.audit(type: nil, actor: nil, limit: 10).map(\.entry.detail) == ["1", "364"])
        #expect(try await h.store.purgeIdentityRecords(settledBefore: now.addingTimeInterval(-30 * day),
                                                       auditBefore: now.addingTimeInterval(-365 * day)) == IdentityPurge(), "nothing twice")
    }

    @Test("Change sets naming the same topics in opposite orders all commit; each topic stays gap-free and in order",
          arguments: StoreBackend.all)
    func crossedTopics(backend: StoreBackend) async throws {
        let h = try await StoreHarness(backend)
        let other = Topic.workspace(WorkspaceID(UUID()))
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<60 {
                group.addTask {
                    let events = i % 2 == 0 ? [h.event(.directory), h.event(other), h.event(.directory)]
                                            : [h.event(other), h.event(.directory)]
                    return (try? await h.store.commit(ChangeSet(events: events))) != nil
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.allSatisfy { $0 })
        let seen = h.observer.all
        #expect(seen.filter { $0.topic == "directory" }.map(\.seq) == Array(1...90))
        #expect(seen.filter { $0.topic == other.description }.map(\.seq) == Array(1...60))
        let range = try await h.store.events(topic: other, after: 0, limit: 100)
        #expect(range.head == 60 && range.complete && range.events.map(\.seq) == Array(1...60))
    }

    @Test("An installation secret is created once, also when many ask for it at the same time", arguments: StoreBackend.all)
    func secretRace(backend: StoreBackend) async throws {
        let h = try await StoreHarness(backend)
        let secrets = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { try await h.store.installationSecret("race") } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(secrets.count == 1)
        #expect(try await h.store.installationSecret("race") == secrets.first)
    }
}
