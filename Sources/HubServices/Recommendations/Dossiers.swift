import Foundation
import HubCore

/// The annual dossier, read from the catalogue: public, like the catalogue itself (it is
/// sent to the council and published).
public struct Dossiers: Sendable {
    let deps: ServiceDependencies

    public init(deps: ServiceDependencies) { self.deps = deps }

    /// The plan of a year's dossier; `dossier.notFound` when the catalogue has no entry of that year.
    public func plan(year: Int) async throws -> DossierPlan {
        guard (2000...2100).contains(year) else { throw DomainError.notFound("dossier") }
        let entries = try await deps.store.catalogue().value.filter { $0.year == year }
        guard !entries.isEmpty else { throw DomainError.notFound("dossier") }
        let fields = try await deps.store.policyFields().value
        return Dossier.plan(year: year, entries: entries, policyFields: fields)
    }

    public func html(year: Int) async throws -> String { Dossier.html(try await plan(year: year)) }

    public func pdf(year: Int) async throws -> [UInt8] { DossierPDF.render(try await plan(year: year)) }
}
