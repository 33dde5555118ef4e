/// The `L4Transport` module. See README.md for where it sits in the stack.
public enum L4TransportModule {
    public static let name = "L4Transport"
}
