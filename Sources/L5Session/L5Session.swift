/// The `L5Session` module. See README.md for where it sits in the stack.
public enum L5SessionModule {
    public static let name = "L5Session"
}
