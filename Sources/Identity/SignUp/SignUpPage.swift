/// The patients' sign-up form.
struct SignUpPage: Encodable {
    var title = "Create an account"
    var tenant: String
    var name: String
    var email: String
    var error: String?
    /// The field the error is about (`name`, `email`, `password`, `confirm`), or empty.
    var errorField: String
    var csrf: String
    var continueQuery: String
    var signInURL: String
}
