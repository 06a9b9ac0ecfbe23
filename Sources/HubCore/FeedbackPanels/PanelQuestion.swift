public typealias QuestionID = Identifier<PanelQuestion>

/// One option of a choice question. The key is what a form posts and what exports show;
/// it stays stable when the label is reworded.
public struct ChoiceOption: Sendable, Hashable, Codable {
    /// Lower-case letters, digits and hyphens, at most 32 characters (`bus`, `kein-bedarf`).
    public var key: String
    public var label: PanelText

    public init(key: String, label: PanelText) {
        self.key = key
        self.label = label
    }
}

/// What kind of answer a question takes.
public enum QuestionKind: Sendable, Hashable, Codable {
    /// A scale from 1 to 5; `labels` names each point (five labels, 1 first) so that every
    /// radio button has a text of its own (screen readers, Leichte Sprache).
    case scale(labels: [PanelText])
    case singleChoice(options: [ChoiceOption])
    /// Between `min` and `max` options (when answered at all).
    case multipleChoice(options: [ChoiceOption], min: Int, max: Int)
    case freeText(maxLength: Int)

    /// Stable name for exports and views.
    public var name: String {
        switch self {
        case .scale: "scale"
        case .singleChoice: "singleChoice"
        case .multipleChoice: "multipleChoice"
        case .freeText: "freeText"
        }
    }

    /// The options of a choice question, in the order the panel shows them.
    public var options: [ChoiceOption] {
        switch self {
        case .singleChoice(let options), .multipleChoice(let options, _, _): options
        case .scale, .freeText: []
        }
    }
}

/// A question on a panel.
public struct PanelQuestion: Sendable, Hashable, Codable, Identifiable {
    public let id: QuestionID
    public var prompt: PanelText
    /// An optional explanation shown under the prompt.
    public var help: PanelText?
    /// Whether a submission must answer it. Most questions should be optional: a person who
    /// only wants to say one thing should be able to.
    public var required: Bool
    public var kind: QuestionKind

    public init(id: QuestionID, prompt: PanelText, help: PanelText? = nil, required: Bool = false, kind: QuestionKind) {
        self.id = id
        self.prompt = prompt
        self.help = help
        self.required = required
        self.kind = kind
    }

    /// The points of a scale question.
    public static let scalePoints = 1...5
}
