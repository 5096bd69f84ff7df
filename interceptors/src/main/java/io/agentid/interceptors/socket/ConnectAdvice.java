package io.agentid.interceptors.socket;

import io.agentid.bootstrap.SocketHooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code NioSocketImpl.connect(SocketAddress, int)}, {@code SocketChannelImpl.connect(SocketAddress)} and
 * {@code SocketChannelImpl.blockingConnect(SocketAddress, long)}: decide before the connect starts; a block is
 * thrown as the method's own {@code IOException}.
 */
public final class ConnectAdvice {
    private ConnectAdvice() {}

    @Advice.OnMethodEnter
    public static Object enter(@Advice.Argument(0) Object remote) throws java.io.IOException {
        return SocketHooks.enterConnect(remote);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object scope, @Advice.Thrown Throwable thrown) {
        SocketHooks.exitConnect(scope, thrown);
    }
}
