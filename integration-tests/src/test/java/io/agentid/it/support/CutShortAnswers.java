package io.agentid.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The pieces of a raw loopback HTTP/1.1 server whose model answers break off in the middle of their body, for the
 * read-ahead tests ({@code ModelBodiesIT}, {@code ReadAheadTimeoutIT}): reading a request head, writing a chunked
 * answer cut short, and waiting for the client to give up on it.
 */
public final class CutShortAnswers {
    private CutShortAnswers() {}

    /** A line of a request head without its CR LF; null at the end of the stream before any byte. */
    public static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return c < 0 && b.length() == 0 ? null : b.toString();
    }

    /**
     * Writes a 200 chunked JSON answer's head, one whole chunk of the first {@code first} bytes of {@code answer}, and
     * the next {@code part} bytes of a chunk announced as the whole rest, then flushes: a body that stops short.
     */
    public static void writeCutShort(OutputStream out, byte[] answer, int first, int part) throws IOException {
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(first) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(answer, 0, first);
        out.write(("\r\n" + Integer.toHexString(answer.length - first) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(answer, first, part);
        out.flush();
    }

    /**
     * Sends nothing more and waits until the client closes {@code s} (true: closed or reset) or {@code seconds} pass
     * (false: the client still holds the connection).
     */
    public static boolean awaitClose(Socket s, InputStream in, long seconds) throws IOException {
        s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(seconds));
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the client
        }
    }
}
