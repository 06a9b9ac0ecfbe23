import Foundation
import HubCore
import HubServices
import Hummingbird
import NIOCore

// Routes that close the smaller gaps of issue 4 (deleting meetings, …); kept apart from the
// main controller so they merge cleanly with other meeting work.
extension MeetingController {
    func addGaps(to router: Router<HubRequestContext>) {
        // Deletes a meeting not yet held; 204. Invitees of an invited meeting get a CANCEL.
        router.delete("/api/v1/meetings/:mid") { request, context in
            let id = try Self.meetingID(context)
            guard context.principal.isSignedIn else { throw DomainError.unauthenticated }
            let version = try JSONIO.expectedVersion(request)
            try await meetings.delete(id, expectedVersion: version, by: context.principal)
            await outbox.flush()
            return Response(status: .noContent)
        }
    }
}
