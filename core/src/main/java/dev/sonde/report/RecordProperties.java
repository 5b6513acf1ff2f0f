package dev.sonde.report;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.Map;
import ognl.ObjectPropertyAccessor;
import ognl.OgnlContext;
import ognl.OgnlException;
import ognl.OgnlRuntime;
import ognl.PropertyAccessor;

/**
 * Reads a record's components in the report templates ({@code ${r.caseId}}) through one method
 * handle per component, found once per record class. OGNL, Thymeleaf's expression language, looks
 * for JavaBean getters ({@code getCaseId()}); a record has none, so for each read it fell back to
 * listing the class's public methods — a copy of every {@code Method} — which made a 1,000-row case
 * table take two seconds and most of the report's allocation. A name that is not a component
 * (a method such as {@code isEmpty}, or a bean getter) is left to OGNL's own accessor. Read-only:
 * the templates never set a property. Public for
 * the other template pages ({@code sonde view}), whose engines install it too.
 */
public final class RecordProperties implements PropertyAccessor {
    private static final PropertyAccessor FALLBACK = new ObjectPropertyAccessor();
    private static final ClassValue<Map<String, MethodHandle>> COMPONENTS = new ClassValue<>() {
        @Override
        protected Map<String, MethodHandle> computeValue(Class<?> type) {
            Map<String, MethodHandle> handles = new HashMap<>();
            RecordComponent[] components = type.getRecordComponents();
            if (components == null) {
                return Map.of();
            }
            try {
                MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
                for (RecordComponent c : components) {
                    handles.put(c.getName(), lookup.unreflect(c.getAccessor()));
                }
            } catch (IllegalAccessException e) {
                return Map.of(); // a record this module cannot open: OGNL's own accessor reads it
            }
            return Map.copyOf(handles);
        }
    };

    private RecordProperties() {}

    /** Makes OGNL read every record through this accessor; idempotent. */
    public static void install() {
        OgnlRuntime.setPropertyAccessor(Record.class, new RecordProperties());
    }

    @Override
    public Object getProperty(Map context, Object target, Object name) throws OgnlException {
        MethodHandle accessor = name instanceof String s ? COMPONENTS.get(target.getClass()).get(s) : null;
        if (accessor == null) {
            return FALLBACK.getProperty(context, target, name);
        }
        try {
            return accessor.invoke(target);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new OgnlException("reading " + name + " of " + target.getClass().getSimpleName(), e);
        }
    }

    @Override
    public void setProperty(Map context, Object target, Object name, Object value) throws OgnlException {
        throw new OgnlException("the report's records are read-only: " + name);
    }

    @Override
    public String getSourceAccessor(OgnlContext context, Object target, Object index) {
        return FALLBACK.getSourceAccessor(context, target, index);
    }

    @Override
    public String getSourceSetter(OgnlContext context, Object target, Object index) {
        return FALLBACK.getSourceSetter(context, target, index);
    }
}
