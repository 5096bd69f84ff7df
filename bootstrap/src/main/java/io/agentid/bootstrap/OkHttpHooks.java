package io.agentid.bootstrap;

import java.io.IOException;
import java.util.List;

/**
 * The hooks OkHttp's advice calls ({@code okhttp3.internal.http.RealInterceptorChain.proceed} and
 * {@code okhttp3.internal.connection.RealCall.getResponseWithInterceptorChain}, OkHttp 4 and 5).
 * OkHttp's classes belong to the application's class loader, so every parameter is typed {@code Object} (or a
 * {@code java.base} type). Contract as in {@link JdbcHooks}: a delegate signals a block by <em>returning</em>
 * the {@link IOException}; anything it throws is a fault of ours, reported to {@link Faults}, and the call
 * proceeds.
 */
public abstract class OkHttpHooks {
    private static volatile OkHttpHooks delegate;

    protected OkHttpHooks() {}

    public static void install(OkHttpHooks hooks) {
        delegate = hooks;
    }

    /**
     * {@code chain.proceed(request)} on the chain at {@code index} of {@code call}: about to run
     * {@code interceptors.get(index)} with {@code request}. Returns a scope for {@link #request} and
     * {@link #exit}, or null when this step is not ours. Throws the block.
     */
    public static Object enter(Object call, List<?> interceptors, int index, Object request) throws IOException {
        OkHttpHooks d = delegate;
        if (d == null) {
            return null;
        }
        Object r;
        try {
            r = d.proceed(call, interceptors, index, request);
        } catch (Throwable t) {
            Faults.report("okhttp.enter", t);
            return null;
        }
        if (r instanceof IOException) {
            throw (IOException) r;
        }
        return r;
    }

    /** The request to pass on in place of {@code request} (one carrying {@code traceparent}), or {@code request}. */
    public static Object request(Object scope, Object request) {
        OkHttpHooks d = delegate;
        if (d == null || scope == null) {
            return request;
        }
        try {
            Object r = d.requestToSend(scope, request);
            return r == null ? request : r;
        } catch (Throwable t) {
            Faults.report("okhttp.traceparent", t);
            return request;
        }
    }

    /**
     * {@code proceed} returned {@code response} or threw {@code thrown}. Returns the response {@code proceed} is to
     * return: {@code response}, or one the delegate gave in its place.
     */
    public static Object exit(Object scope, Object response, Throwable thrown) {
        OkHttpHooks d = delegate;
        if (d == null || scope == null) {
            return response;
        }
        try {
            Object r = d.proceeded(scope, response, thrown);
            return r == null || thrown != null ? response : r;
        } catch (Throwable t) {
            Faults.report("okhttp.exit", t);
            return response;
        }
    }

    /**
     * {@code call}'s {@code getResponseWithInterceptorChain} was entered (its whole chain runs inside it, and OkHttp
     * checks for a cancel once the chain has returned). Returns a scope for {@link #chainExit}, or null.
     */
    public static Object chainEnter(Object call) {
        OkHttpHooks d = delegate;
        if (d == null) {
            return null;
        }
        try {
            return d.chainStart(call);
        } catch (Throwable t) {
            Faults.report("okhttp.chain.enter", t);
            return null;
        }
    }

    /**
     * {@code getResponseWithInterceptorChain} returned {@code response} (to {@code execute()} or the callback) or
     * threw {@code thrown}. Returns the response it is to return: {@code response}, or one the delegate gave in its
     * place.
     */
    public static Object chainExit(Object scope, Object response, Throwable thrown) {
        OkHttpHooks d = delegate;
        if (d == null || scope == null) {
            return response;
        }
        try {
            Object r = d.chainDone(scope, response, thrown);
            return r == null || thrown != null ? response : r;
        } catch (Throwable t) {
            Faults.report("okhttp.chain.exit", t);
            return response;
        }
    }

    protected abstract Object proceed(Object call, List<?> interceptors, int index, Object request) throws Exception;

    protected abstract Object requestToSend(Object scope, Object request) throws Exception;

    /** Ends what {@code scope} began; returns a response to return in place of {@code response}, or null. */
    protected abstract Object proceeded(Object scope, Object response, Throwable thrown);

    protected abstract Object chainStart(Object call);

    /** Ends what {@code scope} began; returns a response to return in place of {@code response}, or null. */
    protected abstract Object chainDone(Object scope, Object response, Throwable thrown);
}
