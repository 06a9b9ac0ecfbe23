import Foundation
import HubCore
import HubServices
import Hummingbird
import NIOCore

/// The OParl 1.1 read API over the catalogue (public, like the catalogue itself).
struct OParlController {
    let deps: ServiceDependencies
    let settings: HTTPSettings

    var oparl: OParl { OParl(origin: settings.publicOrigin) }

    func add(to router: Router<HubRequestContext>) {
        router.get("/api/oparl/1.1/system") { _, _ in JSONIO.response(oparl.system()) }
        router.get("/api/oparl/1.1/bodies") { request, _ in JSONIO.response(oparl.page([oparl.body()], url: "\(oparl.origin)/api/oparl/1.1/bodies", page: Self.page(request))) }
        router.get("/api/oparl/1.1/bodies/district") { _, _ in JSONIO.response(oparl.body()) }
        router.get("/api/oparl/1.1/bodies/district/papers") { request, _ in try await papers(request) }
        router.get("/api/oparl/1.1/bodies/district/organizations") { request, _ in try await organizations(request) }
        // No Person objects: the hub records no consent to publish people in OParl (see MeetingOParl).
        router.get("/api/oparl/1.1/bodies/district/people") { request, _ in try empty(request, "people") }
        router.get("/api/oparl/1.1/bodies/district/meetings") { request, _ in try await meetingList(request) }
        router.get("/api/oparl/1.1/bodies/district/agenda-items") { request, _ in try await agendaItemList(request) }
        router.get("/api/oparl/1.1/bodies/district/files") { request, _ in try await fileList(request) }
        router.get("/api/oparl/1.1/papers/:reference") { _, context in try await paper(context) }
        router.get("/api/oparl/1.1/meetings/:mid") { _, context in try await meeting(context) }
        router.get("/api/oparl/1.1/agenda-items/:aid") { _, context in try await agendaItem(context) }
        router.get("/api/oparl/1.1/files/:fid") { _, context in try await file(context) }
        router.get("/api/oparl/1.1/files/:fid/content") { _, context in try await fileContent(context) }
    }

    var meetingOParl: MeetingOParl { MeetingOParl(oparl: oparl) }
    var listBase: String { "\(oparl.origin)/api/oparl/1.1/bodies/district" }

    /// `modified_since` (ISO 8601 date-time) as OParl 1.1 defines it; nil when absent.
    static func modifiedSince(_ request: Request) throws -> (Date?, String) {
        guard let text = request.uri.queryParameters.get("modified_since") else { return (nil, "") }
        guard let date = WireJSON.parseInstant(text) ?? ISO8601DateFormatter().date(from: text) else {
            throw DomainError.validation([FieldIssue(field: "modified_since", code: "invalid",
                                                     message: "Use an ISO 8601 date-time, e.g. 2026-01-01T00:00:00Z.")])
        }
        let encoded = text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
        return (date, "modified_since=\(encoded)")
    }

    func listed(_ request: Request) async throws -> ([MeetingOParl.Entry], String) {
        let (since, query) = try Self.modifiedSince(request)
        return (try await MeetingOParlQueries(deps: deps).entries(modifiedSince: since), query)
    }

    func meetingList(_ request: Request) async throws -> Response {
        let (entries, query) = try await listed(request)
        return JSONIO.response(oparl.page(entries.map(meetingOParl.meeting), url: "\(listBase)/meetings", page: Self.page(request), query: query))
    }

    func agendaItemList(_ request: Request) async throws -> Response {
        let (entries, query) = try await listed(request)
        let items = entries.flatMap(meetingOParl.agendaItems)
        return JSONIO.response(oparl.page(items, url: "\(listBase)/agenda-items", page: Self.page(request), query: query))
    }

    func fileList(_ request: Request) async throws -> Response {
        let (entries, query) = try await listed(request)
        return JSONIO.response(oparl.page(entries.flatMap(meetingOParl.files), url: "\(listBase)/files", page: Self.page(request), query: query))
    }

    static func notFound(_ what: String) -> DomainError { DomainError(.notFound, code: "oparl.notFound", message: "There is no such \(what).") }

    func meeting(_ context: HubRequestContext) async throws -> Response {
        guard let id = context.parameters.get("mid").flatMap(MeetingID.init),
              let e = try await MeetingOParlQueries(deps: deps).entry(id) else { throw Self.notFound("meeting") }
        return JSONIO.response(meetingOParl.meeting(e))
    }

    func agendaItem(_ context: HubRequestContext) async throws -> Response {
        guard let id = context.parameters.get("aid").flatMap(AgendaItemID.init) else { throw Self.notFound("agenda item") }
        if let t = try await MeetingOParlQueries(deps: deps).tombstone(agendaItem: id),
           let item = meetingOParl.deletedAgendaItems(t).first(where: { $0["id"] == .string(meetingOParl.agendaItemURL(id)) }) {
            return JSONIO.response(item)
        }
        guard let s = try await MeetingOParlQueries(deps: deps).source(agendaItem: id),
              let item = meetingOParl.agendaItems(s).first(where: { $0["id"] == .string(meetingOParl.agendaItemURL(id)) })
        else { throw Self.notFound("agenda item") }
        return JSONIO.response(item)
    }

    func fileSource(_ context: HubRequestContext) async throws -> (String, MeetingOParl.Source) {
        guard let key = context.parameters.get("fid"), let id = MeetingOParl.meetingID(ofFile: key),
              let s = try await MeetingOParlQueries(deps: deps).source(id), MeetingOParl.content(key, s) != nil
        else { throw Self.notFound("file") }
        return (key, s)
    }

    func file(_ context: HubRequestContext) async throws -> Response {
        // The invitation of a deleted meeting OParl listed: deleted, without content.
        if let key = context.parameters.get("fid"), key.hasPrefix("invitation-"), let id = MeetingOParl.meetingID(ofFile: key),
           let t = try await deps.store.meetingTombstone(id) {
            return JSONIO.response(meetingOParl.deletedFiles(t)[0])
        }
        let (key, s) = try await fileSource(context)
        let url = meetingOParl.fileURL(key)
        guard let object = meetingOParl.files(s).first(where: { $0["id"] == .string(url) }) else { throw Self.notFound("file") }
        return JSONIO.response(object)
    }

    func fileContent(_ context: HubRequestContext) async throws -> Response {
        let (key, s) = try await fileSource(context)
        let text = MeetingOParl.content(key, s) ?? ""
        return Response(status: .ok, headers: [.contentType: "text/markdown; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func page(_ request: Request) -> Int { request.uri.queryParameters.get("page").flatMap { Int($0) } ?? 1 }

    func names() async throws -> [PolicyFieldID: String] {
        Dictionary(try await deps.store.policyFields().value.map { ($0.id, $0.nameDe) }, uniquingKeysWith: { a, _ in a })
    }

    func papers(_ request: Request) async throws -> Response {
        let entries = try await deps.store.catalogue().value.sorted { $0.reference < $1.reference }
        let decisions = Dictionary(grouping: try await deps.store.decisions(nil), by: \.reference)
        let reports = Dictionary(grouping: try await deps.store.reports(nil), by: \.reference)
        let names = try await names()
        let objects = entries.map { oparl.paper($0, decisions: decisions[$0.reference] ?? [], reports: reports[$0.reference] ?? [], policyFieldNames: names) }
        return JSONIO.response(oparl.page(objects, url: "\(oparl.origin)/api/oparl/1.1/bodies/district/papers", page: Self.page(request)))
    }

    func paper(_ context: HubRequestContext) async throws -> Response {
        let entry = try await CatalogueQueries(deps: deps).entry(try CatalogueController.reference(context))
        return JSONIO.response(oparl.paper(entry, decisions: try await deps.store.decisions(entry.reference),
                                           reports: try await deps.store.reports(entry.reference), policyFieldNames: try await names()))
    }

    /// Only workspaces that authored catalogue entries are published, with the steering group and the deciding bodies.
    func organizations(_ request: Request) async throws -> Response {
        var authors = Set(try await deps.store.catalogue().value.map(\.workspaceID))
        // And the workspaces whose meetings OParl lists (a meeting names its organization).
        for s in try await MeetingOParlQueries(deps: deps).sources(modifiedSince: nil) { authors.insert(s.meeting.workspaceID) }
        let workspaces = try await deps.store.workspaces().value.filter { authors.contains($0.id) }
        let objects = oparl.organizations(workspaces: workspaces, decisions: try await deps.store.decisions(nil))
        return JSONIO.response(oparl.page(objects, url: "\(oparl.origin)/api/oparl/1.1/bodies/district/organizations", page: Self.page(request)))
    }

    func empty(_ request: Request, _ name: String) throws -> Response {
        let (_, query) = try Self.modifiedSince(request)
        return JSONIO.response(oparl.page([], url: "\(oparl.origin)/api/oparl/1.1/bodies/district/\(name)", page: Self.page(request), query: query))
    }
}
