package io.agentid.interceptors.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpUrlsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "https://api.example.com/v1/x?api_key=secret&q=1 | https://api.example.com/v1/x?api_key=REDACTED&q=1",
        "http://user:pw@10.0.0.1:8080/a | http://REDACTED:REDACTED@10.0.0.1:8080/a",
        "https://h/p?key=k&sig=s&token=t&access_token=a&X-Amz-Signature=z&X-Amz-Credential=c | https://h/p?key=REDACTED&sig=REDACTED&token=REDACTED&access_token=REDACTED&X-Amz-Signature=REDACTED&X-Amz-Credential=REDACTED",
        "https://h/p?client_secret=x&password=y&Api%5FKey=z&subscription-key=w | https://h/p?client_secret=REDACTED&password=REDACTED&Api%5FKey=REDACTED&subscription-key=REDACTED",
        "https://h/p?q=needle&page=2&token | https://h/p?q=needle&page=2&token",
        "https://h?q=1#frag | https://h/?q=1",
        "http://[::1]:81/x?a=1&&b= | http://[::1]:81/x?a=1&&b=",
    })
    void redacts(String url, String expected) {
        URI u = URI.create(url);
        assertThat(HttpUrls.redact(u.getScheme(), u.getRawUserInfo(), u.getHost(), u.getPort(), u.getRawPath(),
                u.getRawQuery())).isEqualTo(expected);
    }
}
