// Swift objects as Lua userdata: the userdata owns a retained reference that
// its __gc releases; the metatable carries __name so type errors read
// "llm.Stream expected, got table".
import CLua
import CShims

extension LuaCall {
    /// Pushes a userdata owning `object`. The first time a type name is used,
    /// `configure` fills its metatable (on top of the stack at absolute index
    /// given) with methods and metamethods.
    public func pushObject(_ object: AnyObject, typeName: String, configure: (LuaCall, Int32) -> Void) {
        if mw_object_metatable(L, typeName) != 0 {
            let mt = absolute(-1)
            push(typeName)
            setField(mt, "__name")
            configure(self, mt)
        }
        pop()
        mw_new_object(L, Unmanaged.passRetained(object).toOpaque(), typeName)
    }

    /// The Swift object of the userdata at `index`, or an argument error.
    public func object<T: AnyObject>(_ index: Int32, typeName: String, as type: T.Type) throws -> T {
        guard let raw = mw_test_object(L, index, typeName) else { throw expected(typeName, at: index) }
        guard let object = Unmanaged<AnyObject>.fromOpaque(raw).takeUnretainedValue() as? T else {
            throw expected(typeName, at: index)
        }
        return object
    }
}
