/// The `L7Application` module. See README.md for where it sits in the stack.
public enum L7ApplicationModule {
    public static let name = "L7Application"
}
