/// The `L6Presentation` module. See README.md for where it sits in the stack.
public enum L6PresentationModule {
    public static let name = "L6Presentation"
}
