/// The sandbox: a local emulator of Authgear's User Import API (spec §12).
public enum SandboxInfo {
    /// The project the sandbox serves unless configured otherwise.
    public static let defaultProjectID = "myapp"
    public static let defaultKeyID = "test-kid"
}
