import Crypto
import Foundation
import HubCore
import HubServices
import Hummingbird
import NIOCore

/// The annual planning dossier "Sozialplanung Fokus <year>" as HTML and PDF. Public: the
/// dossier goes to the council and is published.
struct DossierController {
    let dossiers: Dossiers

    init(deps: ServiceDependencies) { dossiers = Dossiers(deps: deps) }

    func add(to router: Router<HubRequestContext>) {
        router.get("/api/v1/dossiers/:year/html") { _, context in try await html(context) }
        router.get("/api/v1/dossiers/:year/pdf") { _, context in try await pdf(context) }
    }

    /// The year of the path; anything but a year from 2000 to 2100 is a dossier that does not exist.
    static func year(_ context: HubRequestContext) throws -> Int {
        guard let text = context.parameters.get("year"), text.count == 4, text.allSatisfy({ $0.isASCII && $0.isNumber }),
              let year = Int(text), (2000...2100).contains(year) else {
            throw DomainError.notFound("dossier")
        }
        return year
    }

    /// The document allows nothing but its own inline stylesheet (by hash): no scripts, no
    /// images, no forms, no frames. Set per response; see the report on SecurityHeadersMiddleware.
    static let contentSecurityPolicy: String = {
        let hash = Data(SHA256.hash(data: Data(Dossier.stylesheet.utf8))).base64EncodedString()
        return "default-src 'none'; style-src 'sha256-\(hash)'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    }()

    func html(_ context: HubRequestContext) async throws -> Response {
        let year = try Self.year(context)
        let text = try await dossiers.html(year: year)
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8",
                                               .contentDisposition: "inline; filename=\"sozialplanung-fokus-\(year).html\"",
                                               .contentSecurityPolicy: Self.contentSecurityPolicy],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    func pdf(_ context: HubRequestContext) async throws -> Response {
        let year = try Self.year(context)
        let bytes = try await dossiers.pdf(year: year)
        return Response(status: .ok, headers: [.contentType: "application/pdf",
                                               .contentDisposition: "attachment; filename=\"\(DossierPDF.fileName(year: year))\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
