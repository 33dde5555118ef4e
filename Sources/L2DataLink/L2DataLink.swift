/// The `L2DataLink` module. See README.md for where it sits in the stack.
public enum L2DataLinkModule {
    public static let name = "L2DataLink"
}
