import Foundation
import HubCore
import Logging

/// Reminds the coordinators of the authoring workspace by e-mail when an implementation report
/// falls due (two weeks ahead), once per entry and due date. Runs from the maintenance service.
public struct ReportReminders: Sendable {
    let deps: ServiceDependencies
    let mailer: any Mailer
    let publicOrigin: String
    /// Days before the due date the reminder goes out.
    public static let leadDays = 14

    public init(deps: ServiceDependencies, mailer: any Mailer, publicOrigin: String) {
        self.deps = deps
        self.mailer = mailer
        self.publicOrigin = publicOrigin
    }

    /// Sends what is due and returns how many reminders went out.
    @discardableResult
    public func run() async throws -> Int {
        guard mailer.isConfigured else { return 0 }
        let today = deps.today
        let sent = try await deps.store.remindersSent()
        let views = try await Tracking(deps: deps).views(try await deps.store.catalogue().value)
        var count = 0
        for view in views {
            guard let due = view.reportDueOn.flatMap(LocalDate.init), due <= today.adding(days: Self.leadDays),
                  let reference = CatalogueReference(view.reference), !(sent[reference]?.contains(due) ?? false),
                  let workspace = WorkspaceID(view.workspaceId) else { continue }
            let coordinators = try await deps.store.members(of: workspace).filter { $0.membership.role == .coordinator }
            var delivered = false
            for row in coordinators {
                guard let user = try await deps.store.user(row.membership.userID) else { continue }
                let text = """
                    Guten Tag,

                    für die Handlungsempfehlung \(view.reference) „\(view.profile.title)“ ist am \(due) der nächste Umsetzungsbericht fällig.
                    Bitte tragen Sie die aktuellen Werte der Indikatoren und einen kurzen Sachstand ein:
                    \(publicOrigin)/#/catalogue/\(view.reference)

                    Diese Nachricht wurde von Roundtable gesendet.
                    """
                do {
                    try await mailer.send(to: user.email, subject: "Umsetzungsbericht fällig: \(view.reference)", text: text)
                    delivered = true
                } catch {
                    deps.logger.warning("report reminder not sent", metadata: ["reference": "\(view.reference)", "error": "\(error)"])
                }
            }
            if delivered {
                try await deps.commit(ChangeSet(changes: [.recommendation(.recordReminder(reference, dueOn: due, at: deps.clock.now()))]))
                count += 1
            }
        }
        return count
    }
}
