import Foundation

/// The profile a creator starts from (`haat new`, and the profile editor): valid as it
/// stands, so the content folder always builds, with every field a creator fills in
/// marked. Its number is a placeholder that the creator replaces and the admin checks
/// before approving, since an approved profile's number is what customers are given.
public enum ProfileTemplate {
    public static let placeholderPhone = "+91 90000 00000"

    public static func text(name: String, category: Slug, city: Slug, account: EmailAddress) -> String {
        """
        ---
        name: \(quoted(name))
        category: \(category)
        city: \(city)
        # area: your neighbourhood
        # since: the year you started
        # languages: [Marathi, Hindi, English]
        account: \(account)
        contact:
          # Your number: only a customer who asks for it sees it. Replace this placeholder.
          phone: "\(placeholderPhone)"
          # whatsapp: "+91 …"
        services:
          - title: Your first service
            price_from: 500
            description: What it includes, how long it takes, what it costs.
        # portfolio:
        #   - image: photo-1.jpg
        #     caption: What the photo shows
        # tags: [eggless, birthday]
        ---

        Tell customers who you are: how you started, what you make best, and where you work.

        """
    }

    /// A YAML double-quoted scalar: quotes and backslashes escaped, line breaks flattened.
    static func quoted(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        return "\"" + flat.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
