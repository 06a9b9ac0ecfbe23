/// The stable refusals of the Lean Coffee component. Codes go to clients verbatim.
public enum LeanCoffeeErrors {
    static func error(_ kind: DomainError.Kind, _ code: String, _ message: String) -> DomainError {
        DomainError(kind, code: "leanCoffee.\(code)", message: message)
    }

    /// Every change on a closed board.
    public static let phaseClosed = error(.invalidTransition, "phaseClosed", "The board is closed; its summary is final.")
    /// The operation belongs to another phase (adding topics outside `collect`, dots outside `vote`, ...).
    public static func wrongPhase(_ needed: [LeanCoffeePhase]) -> DomainError {
        let phases = needed.map(\.rawValue).joined(separator: " or ")
        return error(.invalidTransition, "wrongPhase", "This is possible only while the board is in phase \(phases).")
    }
    /// A phase change the graph does not have.
    public static func invalidTransition(from: LeanCoffeePhase, to: LeanCoffeePhase) -> DomainError {
        error(.invalidTransition, "invalidTransition", "The board cannot move from \(from.rawValue) to \(to.rawValue).")
    }
    public static let noTopics = error(.invalidTransition, "noTopics", "Add at least one topic first.")
    public static let noDotsLeft = error(.invalidTransition, "noDotsLeft", "You have placed all your dots. Take one back to vote elsewhere.")
    public static let topicDotLimit = error(.invalidTransition, "topicDotLimit", "You cannot place more of your dots on this topic.")
    public static let noDotToRemove = error(.invalidTransition, "noDotToRemove", "You have no dot on this topic.")
    public static let idempotencyKeyReused = error(.conflict, "idempotencyKeyReused", "This request key was already used for a different request.")
    public static let topicNotFound = error(.notFound, "topicNotFound", "The topic does not exist on this board.")
    public static let topicNotOpen = error(.invalidTransition, "topicNotOpen", "The topic has been withdrawn or discussed.")
    public static let topicLimit = error(.invalidTransition, "topicLimit", "You have added as many topics as this board allows per person.")
    public static let boardFull = error(.invalidTransition, "boardFull", "The board holds as many topics as it can.")
    public static let anonymousNotAllowed = error(.forbidden, "anonymousNotAllowed", "The facilitator does not allow anonymous topics on this board.")
    public static let notAuthor = error(.forbidden, "notAuthor", "Only its author or a facilitator can change this.")
    public static let settingsLocked = error(.invalidTransition, "settingsLocked",
                                             "Voting has started: the dots and their visibility can no longer change.")
    public static let votesNotHidden = error(.invalidTransition, "votesNotHidden", "The votes are already visible.")
    public static let timeboxRunning = error(.invalidTransition, "timeboxRunning", "The timebox is still running.")
    public static let noExtensionLeft = error(.invalidTransition, "noExtensionLeft", "The timebox sequence has no extension left for this topic.")
    public static let noCurrentTopic = error(.invalidTransition, "noCurrentTopic", "No topic is being discussed.")
    public static let staleTopic = error(.conflict, "staleTopic", "The discussion has moved on. Reload the board.")
    public static let takeawayNotFound = error(.notFound, "takeawayNotFound", "The takeaway does not exist on this board.")
    public static let notDiscussed = error(.invalidTransition, "notDiscussed", "Takeaways belong to topics that are or were discussed.")
    public static let nothingToSend = error(.invalidTransition, "nothingToSend", "There are no takeaways to send yet.")
    public static let needsWorkspace = error(.invalidTransition, "needsWorkspace", "Recommendations are drafted in a workspace; this board has none.")
    public static let draftAlreadyStarted = error(.conflict, "draftAlreadyStarted", "A draft recommendation was already started from this topic.")
}
