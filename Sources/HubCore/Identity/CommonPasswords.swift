/// Passwords that attackers try first. The list is generated from common base words
/// (German and English), keyboard walks and number runs, each with the suffixes people
/// typically add, so it covers many thousand variants in a few lines. Compared lower-cased.
public enum CommonPasswords {
    static let baseWords: [String] = [
        // English
        "password", "passw0rd", "p@ssword", "p@ssw0rd", "letmein", "welcome", "admin", "administrator", "login", "master",
        "dragon", "monkey", "football", "baseball", "soccer", "princess", "sunshine", "shadow", "superman", "batman",
        "iloveyou", "trustno1", "starwars", "freedom", "whatever", "charlie", "michael", "jennifer", "jordan", "thomas",
        "hunter", "killer", "secret", "summer", "winter", "spring", "autumn", "hello", "flower", "cookie", "pepper",
        "ginger", "computer", "internet", "changeme", "default", "guest", "test", "testing", "user", "access", "root",
        "love", "lovely", "angel", "family", "friends", "money", "orange", "banana", "apple", "chocolate", "cheese",
        "matrix", "mustang", "harley", "ranger", "tigger", "buster", "daniel", "andrew", "joshua", "george", "maggie",
        "qwerty", "qwertz", "azerty", "asdfgh", "asdfghjk", "yxcvbnm", "zxcvbnm", "qazwsx", "1qaz2wsx", "abc", "abcd",
        "abcdef", "abcdefgh", "aaaaaa", "fuckyou", "football1", "ninja", "solo", "mypass", "mypassword", "nopassword",
        // German
        "passwort", "kennwort", "geheim", "hallo", "hallihallo", "schatz", "schatzi", "liebe", "ichliebedich", "sonne",
        "sommer", "fruehling", "frühling", "herbst", "mausi", "hase", "baerchen", "bärchen", "engel", "fussball", "fußball",
        "schalke", "schalke04", "bayern", "bayernmuenchen", "borussia", "dortmund", "werder", "hamburg", "berlin",
        "muenchen", "münchen", "koeln", "köln", "frankfurt", "deutschland", "germany", "computer", "benutzer", "anmelden",
        "zugang", "willkommen", "startstart", "start", "arbeit", "schule", "familie", "freunde", "blume", "katze", "hund",
        "tiger", "pferd", "ferrari", "porsche", "mercedes", "schokolade", "keks", "snoopy", "pokemon", "minecraft",
        "michael", "thomas", "andreas", "stefan", "christian", "alexander", "daniel", "sabine", "nicole", "julia",
        "verwaltung", "landkreis", "kreis", "rathaus", "gemeinde", "sozialamt", "jugendamt", "roundtable", "sozialplanung",
        "steuerungsgruppe", "fokusgruppe", "planung", "beteiligung", "buergerbeteiligung",
    ]

    static let suffixes: [String] = [
        "", "1", "12", "123", "1234", "12345", "123456", "!", "!!", "1!", "123!", "01", "007", "69", "99", "00", "11",
        "2000", "2010", "2015", "2016", "2017", "2018", "2019", "2020", "2021", "2022", "2023", "2024", "2025", "2026", "2027",
        "#", "?", ".", "*", "@", "$",
    ]

    static let standalone: [String] = [
        "12345678", "123456789", "1234567890", "0987654321", "87654321", "11111111", "00000000", "12121212", "11223344",
        "123123123", "12341234", "123qwe", "1q2w3e4r", "1q2w3e4r5t", "qwertzuiop", "qwertyuiop", "asdfghjkl", "yxcvbnm,",
        "1qay2wsx", "1234qwer", "qwer1234", "q1w2e3r4", "a1b2c3d4", "password1234", "passwort1234", "abcd1234",
        "iloveyou1", "sommer2024", "winter2024", "herbst2024", "geheim123", "hallo1234", "internet1", "ichliebedich1",
    ]

    /// The whole list, built once.
    public static let all: Set<String> = {
        var set = Set(standalone)
        for word in baseWords {
            for suffix in suffixes { set.insert(word + suffix) }
            set.insert(word + word)
            set.insert(String(word.reversed()))
        }
        // Runs of one character and ascending or descending digits of every length from 8.
        for character in "abcdefghijklmnopqrstuvwxyz0123456789!" {
            for length in 8...16 { set.insert(String(repeating: character, count: length)) }
        }
        let digits = "01234567890123456789"
        for start in 0..<10 {
            for length in 8...12 {
                let run = digits.dropFirst(start).prefix(length)
                if run.count == length {
                    set.insert(String(run))
                    set.insert(String(run.reversed()))
                }
            }
        }
        return set
    }()

    public static func contains(_ lowercased: String) -> Bool { all.contains(lowercased) }
}
