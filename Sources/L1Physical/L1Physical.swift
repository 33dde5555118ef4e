/// The `L1Physical` module. See README.md for where it sits in the stack.
public enum L1PhysicalModule {
    public static let name = "L1Physical"
}
