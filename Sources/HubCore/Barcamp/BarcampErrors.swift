/// The stable refusals of the Barcamp component. Codes go to clients verbatim.
public enum BarcampErrors {
    static func error(_ kind: DomainError.Kind, _ code: String, _ message: String) -> DomainError {
        DomainError(kind, code: "barcamp.\(code)", message: message)
    }

    public static let closed = error(.invalidTransition, "closed", "The barcamp is closed; its documentation is final.")
    public static let emptySchedule = error(.invalidTransition, "emptySchedule", "Place at least one session before publishing.")
    public static let proposalsClosed = error(.invalidTransition, "proposalsClosed", "The moderators no longer accept proposals.")
    public static let proposalLimit = error(.invalidTransition, "proposalLimit",
                                            "You have proposed as many sessions as this barcamp allows per person.")
    public static let sessionNotFound = error(.notFound, "sessionNotFound", "The session does not exist at this barcamp.")
    public static let sessionWithdrawn = error(.invalidTransition, "sessionWithdrawn", "The session was withdrawn.")
    public static let notHost = error(.forbidden, "notHost", "Only the session's hosts or a moderator can change it.")
    public static let interestLimit = error(.invalidTransition, "interestLimit", "You have marked as many sessions as allowed. Unmark one first.")
    public static let roomNotFound = error(.notFound, "roomNotFound", "There is no such room.")
    public static let slotNotFound = error(.notFound, "slotNotFound", "There is no such time slot.")
    public static let commonBlock = error(.invalidTransition, "commonBlock", "This time slot is a common block; sessions cannot be placed there.")
    public static let cellOccupied = error(.conflict, "cellOccupied", "Another session is already in this room at this time.")
    public static let hostConflict = error(.conflict, "hostConflict", "A host of this session holds another session at the same time.")
    public static let alreadyPlaced = error(.conflict, "alreadyPlaced", "The session is already in the grid; move it instead.")
    public static let notPlaced = error(.invalidTransition, "notPlaced", "The session is not in the grid.")
    public static let roomInUse = error(.conflict, "roomInUse", "Sessions are placed in this room; move them first.")
    public static let slotInUse = error(.conflict, "slotInUse", "Sessions are placed in this slot; move them first.")
    public static let notesConflict = error(.conflict, "notesConflict",
                                            "Someone else saved the notes in the meantime. Merge your text with theirs and save again.")
}
