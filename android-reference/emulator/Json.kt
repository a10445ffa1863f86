/*
 * Test plumbing behind the stubs, not part of any published API: JSON for the callable protocol
 * and the Auth emulator's REST API, because the JVM here has no JSON library.
 */
package fleetengine.emulator

internal object Json {
    fun write(value: Any?): String = StringBuilder().also { append(it, value) }.toString()

    private fun append(out: StringBuilder, value: Any?) {
        when (value) {
            null -> out.append("null")
            is String -> quote(out, value)
            is Boolean, is Int, is Long -> out.append(value.toString())
            is Number -> out.append(value.toDouble().toString())
            is Map<*, *> -> {
                out.append('{')
                value.entries.forEachIndexed { index, (key, item) ->
                    if (index > 0) out.append(',')
                    quote(out, key.toString())
                    out.append(':')
                    append(out, item)
                }
                out.append('}')
            }
            is Iterable<*> -> {
                out.append('[')
                value.forEachIndexed { index, item ->
                    if (index > 0) out.append(',')
                    append(out, item)
                }
                out.append(']')
            }
            else -> throw IllegalArgumentException("not JSON: ${value::class.java.name}")
        }
    }

    private fun quote(out: StringBuilder, text: String) {
        out.append('"')
        for (char in text) {
            when {
                char == '"' -> out.append("\\\"")
                char == '\\' -> out.append("\\\\")
                char < ' ' -> out.append(String.format("\\u%04x", char.code))
                else -> out.append(char)
            }
        }
        out.append('"')
    }

    /**
     * Objects become maps, arrays lists; whole numbers Int where they fit, else Long, as the
     * Firebase Android SDK decodes callable results.
     */
    fun parse(text: String): Any? = Parser(text).run { value().also { end() } }

    private class Parser(private val text: String) {
        private var at = 0

        fun end() {
            space()
            require(at == text.length) { "trailing characters at $at" }
        }

        fun value(): Any? {
            space()
            return when (val char = text[at]) {
                '{' -> obj()
                '[' -> array()
                '"' -> string()
                't' -> literal("true", true)
                'f' -> literal("false", false)
                'n' -> literal("null", null)
                else -> if (char == '-' || char.isDigit()) number() else error("unexpected '$char'")
            }
        }

        private fun obj(): Map<String, Any?> {
            val map = LinkedHashMap<String, Any?>()
            at++
            space()
            if (text[at] == '}') return map.also { at++ }
            while (true) {
                space()
                val key = string()
                space()
                expect(':')
                map[key] = value()
                space()
                if (text[at] == ',') at++ else return map.also { expect('}') }
            }
        }

        private fun array(): List<Any?> {
            val list = ArrayList<Any?>()
            at++
            space()
            if (text[at] == ']') return list.also { at++ }
            while (true) {
                list.add(value())
                space()
                if (text[at] == ',') at++ else return list.also { expect(']') }
            }
        }

        private fun string(): String {
            expect('"')
            val out = StringBuilder()
            while (true) {
                when (val char = text[at++]) {
                    '"' -> return out.toString()
                    '\\' -> when (val escaped = text[at++]) {
                        'u' -> {
                            out.append(text.substring(at, at + 4).toInt(16).toChar())
                            at += 4
                        }
                        'n' -> out.append('\n')
                        't' -> out.append('\t')
                        'r' -> out.append('\r')
                        'b' -> out.append('\b')
                        'f' -> out.append('\u000c')
                        else -> out.append(escaped)
                    }
                    else -> out.append(char)
                }
            }
        }

        private fun number(): Number {
            val start = at
            while (at < text.length && text[at] in "+-0123456789.eE") at++
            val literal = text.substring(start, at)
            if (literal.any { it in ".eE" }) return literal.toDouble()
            val whole = literal.toLong()
            return if (whole in Int.MIN_VALUE..Int.MAX_VALUE) whole.toInt() else whole
        }

        private fun literal(word: String, value: Any?): Any? {
            require(text.startsWith(word, at)) { "expected $word at $at" }
            at += word.length
            return value
        }

        private fun expect(char: Char) {
            require(text[at] == char) { "expected '$char' at $at" }
            at++
        }

        private fun space() {
            while (at < text.length && text[at].isWhitespace()) at++
        }
    }
}
