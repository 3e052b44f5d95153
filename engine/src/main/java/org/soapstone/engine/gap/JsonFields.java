package org.soapstone.engine.gap;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed access to one JSON object of a model file's {@code model.json}, each failure a
 * {@link ModelFileException} naming the file, the entry and the field's path (e.g. {@code terms[2].delta}).
 */
final class JsonFields {
    private final Path file;
    private final String entry;
    private final String path;
    private final Map<?, ?> map;

    private JsonFields(Path file, String entry, String path, Map<?, ?> map) {
        this.file = file;
        this.entry = entry;
        this.path = path;
        this.map = map;
    }

    /** @return the document's top-level object */
    static JsonFields root(Path file, String entry, Object value) throws ModelFileException {
        if (!(value instanceof Map<?, ?> m)) {
            throw new ModelFileException(file, entry, null, "the document is not a JSON object");
        }
        return new JsonFields(file, entry, "", m);
    }

    /** @return the path of {@code key} in this object, e.g. {@code terms[0].delta} */
    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** @return an error about {@code key} */
    ModelFileException error(String key, String message) {
        return new ModelFileException(file, entry, path(key), message);
    }

    /** @return an error about this object as a whole */
    ModelFileException error(String message) {
        return new ModelFileException(file, entry, path.isEmpty() ? null : path, message);
    }

    /** @return the keys present, in order */
    Set<?> keys() {
        return map.keySet();
    }

    boolean has(String key) {
        return map.get(key) != null;
    }

    private Object required(String key) throws ModelFileException {
        Object v = map.get(key);
        if (v == null) {
            throw error(key, map.containsKey(key) ? "is null" : "missing");
        }
        return v;
    }

    String string(String key) throws ModelFileException {
        return required(key) instanceof String s ? s : fail(key, "a string");
    }

    long integer(String key) throws ModelFileException {
        return required(key) instanceof Long l ? l : fail(key, "an integer");
    }

    int count(String key, int min) throws ModelFileException {
        long v = integer(key);
        if (v < min || v > Integer.MAX_VALUE - 8) {
            throw error(key, v + " is out of range (at least " + min + ")");
        }
        return (int) v;
    }

    boolean bool(String key) throws ModelFileException {
        return required(key) instanceof Boolean b ? b : fail(key, "true or false");
    }

    double real(String key) throws ModelFileException {
        double v = required(key) instanceof Number n ? n.doubleValue() : fail(key, "a number");
        if (!Double.isFinite(v)) {
            throw error(key, v + " is not finite");
        }
        return v;
    }

    JsonFields object(String key) throws ModelFileException {
        return required(key) instanceof Map<?, ?> m ? new JsonFields(file, entry, path(key), m)
                : fail(key, "an object");
    }

    /** @return the object at {@code key}, or null if it is absent or JSON null */
    JsonFields optionalObject(String key) throws ModelFileException {
        return has(key) ? object(key) : null;
    }

    List<JsonFields> objects(String key) throws ModelFileException {
        List<?> list = required(key) instanceof List<?> l ? l : fail(key, "an array");
        List<JsonFields> out = new ArrayList<>();
        for (int k = 0; k < list.size(); k++) {
            String p = path(key) + "[" + k + "]";
            if (!(list.get(k) instanceof Map<?, ?> m)) {
                throw new ModelFileException(file, entry, p, "is not an object");
            }
            out.add(new JsonFields(file, entry, p, m));
        }
        return out;
    }

    List<String> strings(String key) throws ModelFileException {
        List<?> list = required(key) instanceof List<?> l ? l : fail(key, "an array of strings");
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            out.add(o instanceof String s ? s : fail(key, "an array of strings"));
        }
        return out;
    }

    Map<String, String> stringMap(String key) throws ModelFileException {
        JsonFields o = object(key);
        Map<String, String> out = new LinkedHashMap<>();
        for (Object k : o.keys()) {
            out.put((String) k, o.string((String) k));
        }
        return out;
    }

    private <T> T fail(String key, String what) throws ModelFileException {
        Object v = map.get(key);
        throw error(key, "expected " + what + ", found " + (v instanceof String ? "\"" + v + "\"" : v));
    }
}
