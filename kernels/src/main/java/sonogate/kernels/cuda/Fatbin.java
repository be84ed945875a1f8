package sonogate.kernels.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reader for the CUDA fatbin container, enough to list what it holds without CUDA tools (this
 * machine kind has nvcc but no cuobjdump): each entry's kind (ELF = SASS for one sm_XX, or PTX),
 * architecture and the kernel entry points it defines (global FUNC symbols of the ELF, {@code .entry}
 * directives of the PTX).
 *
 * <p>Layout (little-endian; NVIDIA does not document it, it is read from nvcc's output and checked
 * against what nvcc was asked to build): a 16-byte header (magic 0xBA55ED50, u16 version, u16 header
 * size, u64 size of the entries), then entries, each a header (u16 kind: 1 PTX, 2 ELF; u16 version;
 * u32 header size; u64 payload size; ...; u32 sm version at offset 28; u64 flags at offset 40, bit
 * 0x8000 or 0x2000 = compressed payload) followed by the payload. Compressed payloads are reported
 * as such and not parsed: {@code scripts/build-cuda} builds with {@code --compress-mode=none}.
 */
public final class Fatbin {
    private Fatbin() {}

    public static final int MAGIC = 0xBA55ED50;
    private static final long COMPRESSED = 0x8000L | 0x2000L;

    public enum Kind { PTX, ELF }

    /** One entry: SASS (ELF) or PTX for one architecture; {@code kernels} is empty when compressed. */
    public record Entry(Kind kind, int arch, boolean compressed, Set<String> kernels) {
        @Override
        public String toString() {
            return (kind == Kind.ELF ? "sm_" : "compute_") + arch + (compressed ? " (compressed)" : " " + kernels.size() + " kernels");
        }
    }

    public static List<Entry> entries(byte[] image) {
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        if (image.length < 16 || b.getInt(0) != MAGIC) throw new IllegalArgumentException("not a CUDA fatbin (bad magic)");
        int headerSize = Short.toUnsignedInt(b.getShort(6));
        long end = headerSize + b.getLong(8);
        if (end > image.length) throw new IllegalArgumentException("fatbin truncated: header says " + end + " bytes, have " + image.length);
        List<Entry> out = new ArrayList<>();
        for (long off = headerSize; off < end; ) {
            int o = Math.toIntExact(off);
            int kind = Short.toUnsignedInt(b.getShort(o));
            int entryHeader = b.getInt(o + 4);
            long payload = b.getLong(o + 8);
            int arch = b.getInt(o + 28);
            boolean compressed = (b.getLong(o + 40) & COMPRESSED) != 0;
            int start = o + entryHeader;
            if (start + payload > end || payload < 0) throw new IllegalArgumentException("fatbin entry at " + o + " overruns the image");
            byte[] data = new byte[Math.toIntExact(payload)];
            b.get(start, data);
            Kind k = switch (kind) {
                case 1 -> Kind.PTX;
                case 2 -> Kind.ELF;
                default -> throw new IllegalArgumentException("fatbin entry at " + o + ": unknown kind " + kind);
            };
            Set<String> names = compressed ? Set.of() : (k == Kind.PTX ? ptxEntries(data) : elfFunctions(data));
            out.add(new Entry(k, arch, compressed, names));
            off = start + payload;
        }
        return out;
    }

    private static final Pattern PTX_ENTRY = Pattern.compile("\\.entry\\s+([A-Za-z_][A-Za-z0-9_$]*)");

    static Set<String> ptxEntries(byte[] ptx) {
        Set<String> names = new TreeSet<>();
        Matcher m = PTX_ENTRY.matcher(new String(ptx, StandardCharsets.ISO_8859_1));
        while (m.find()) names.add(m.group(1));
        return names;
    }

    /** Global FUNC symbols of a 64-bit little-endian ELF (the cubin's kernels). */
    static Set<String> elfFunctions(byte[] elf) {
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        if (elf.length < 64 || b.getInt(0) != 0x464C457F || elf[4] != 2 || elf[5] != 1) {
            throw new IllegalArgumentException("fatbin ELF entry is not a 64-bit little-endian ELF");
        }
        long shoff = b.getLong(0x28);
        int shentsize = Short.toUnsignedInt(b.getShort(0x3A)), shnum = Short.toUnsignedInt(b.getShort(0x3C));
        Set<String> names = new TreeSet<>();
        for (int i = 0; i < shnum; i++) {
            int sh = Math.toIntExact(shoff + (long) i * shentsize);
            if (b.getInt(sh + 4) != 2) continue;                    // SHT_SYMTAB
            long symOff = b.getLong(sh + 0x18), symSize = b.getLong(sh + 0x20), symEnt = b.getLong(sh + 0x38);
            int link = b.getInt(sh + 0x28);
            int strSh = Math.toIntExact(shoff + (long) link * shentsize);
            long strOff = b.getLong(strSh + 0x18);
            for (long s = symOff; s + symEnt <= symOff + symSize; s += symEnt) {
                int si = Math.toIntExact(s);
                int info = Byte.toUnsignedInt(b.get(si + 4));
                if ((info & 0xF) == 2 && (info >> 4) == 1) names.add(cString(elf, Math.toIntExact(strOff + b.getInt(si))));   // FUNC, GLOBAL
            }
        }
        return names;
    }

    private static String cString(byte[] data, int at) {
        int end = at;
        while (end < data.length && data[end] != 0) end++;
        return new String(data, at, end - at, StandardCharsets.ISO_8859_1);
    }
}
