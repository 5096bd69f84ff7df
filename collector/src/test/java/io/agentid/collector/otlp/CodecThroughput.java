package io.agentid.collector.otlp;

import io.agentid.collector.model.SpanRecord;
import java.util.List;

/**
 * Prints decode throughput (spans/s, one thread) for 512-span agentid requests. Not a test, and rough on a shared
 * machine. Run after {@code ./mvnw -pl collector test-compile}:
 *
 * <pre>
 * java -cp collector/target/classes:collector/target/test-classes:$(cat cp.txt) io.agentid.collector.otlp.CodecThroughput [seconds]
 * </pre>
 *
 * where cp.txt comes from {@code ./mvnw -pl collector dependency:build-classpath -Dmdep.outputFile=../cp.txt}.
 */
public final class CodecThroughput {

    private static volatile Object sink;

    private CodecThroughput() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        List<SpanRecord> spans = AgentidSpans.sql(512, 42);
        byte[] proto = OtlpCodec.encodeRequestProtobuf(spans);
        byte[] json = OtlpCodec.encodeRequestJson(spans);
        System.out.printf("request: 512 spans, protobuf %d bytes, json %d bytes%n", proto.length, json.length);
        run("protobuf (generated classes)", seconds, () -> ProtoMessageDecoder.decode(proto, 0, proto.length));
        run("protobuf", seconds, () -> OtlpCodec.decodeProtobuf(proto));
        run("json", seconds, () -> OtlpCodec.decodeJson(json));
    }

    private interface Decode {
        Decoded run() throws Exception;
    }

    private static void run(String name, double seconds, Decode d) throws Exception {
        long warmEnd = System.nanoTime() + (long) (seconds * 1e9 / 2);
        while (System.nanoTime() < warmEnd) {
            sink = d.run();
        }
        long spans = 0;
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        long t;
        do {
            Decoded r = d.run();
            spans += r.spans().size();
            sink = r;
            t = System.nanoTime();
        } while (t < end);
        System.out.printf("%-30s %,12.0f spans/s%n", name, spans / ((t - t0) / 1e9));
    }
}
