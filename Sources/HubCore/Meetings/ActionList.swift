import Foundation

/// One row of a workspace's action list.
public struct ActionListEntry: Hashable, Sendable {
    public let meetingID: MeetingID
    public let meetingTitle: String
    public let meetingDate: LocalDate
    public let item: ActionItem
    /// Open and past its due date.
    public let isOverdue: Bool
}

/// The workspace-wide list of action items from all its minutes (drafts included: an action
/// agreed in the meeting is due whether or not the minutes are approved yet).
public enum ActionList {
    /// Overdue items first (the longest overdue on top), then open items by due date (those
    /// without one last), then done and dropped ones when asked for.
    public static func build(_ sources: [(meeting: Meeting, minutes: Minutes)], today: LocalDate, includeClosed: Bool = false) -> [ActionListEntry] {
        var rows: [ActionListEntry] = []
        for (meeting, minutes) in sources where meeting.id == minutes.meetingID {
            for item in minutes.actionItems.map(\.value) where includeClosed || item.status == .open {
                rows.append(ActionListEntry(meetingID: meeting.id, meetingTitle: meeting.title, meetingDate: meeting.start.date, item: item,
                                            isOverdue: item.isOverdue(today: today)))
            }
        }
        func rank(_ row: ActionListEntry) -> Int { row.isOverdue ? 0 : row.item.status == .open ? 1 : 2 }
        return rows.sorted {
            let a = (rank($0), $0.item.due?.dayNumber ?? Int.max, $0.meetingDate.dayNumber, $0.item.id.description)
            let b = (rank($1), $1.item.due?.dayNumber ?? Int.max, $1.meetingDate.dayNumber, $1.item.id.description)
            return a < b
        }
    }
}
