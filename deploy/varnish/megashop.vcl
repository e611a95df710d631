vcl 4.1;
# Varnish перед узлами Megashop (docs/sysadmin/scaling.md, раздел «CDN и Varnish»).
# Кэширует то, что приложение разрешило (Cache-Control: public, s-maxage), отдаёт устаревшее
# в пределах stale-while-revalidate, пока обновляет, и принимает сброс от
# wagtail.contrib.frontend_cache: PURGE адреса — удалить этот адрес (все варианты по Vary),
# PURGE /.cdn-keys/<ключ> — бан всех ответов с этим ключом в Surrogate-Key.

import std;

# Адрес узла приложения (или балансировщика) подставляется при установке; в тестах — порт gunicorn.
backend default {
    .host = "${BACKEND_HOST}";
    .port = "${BACKEND_PORT}";
}

# Кто может сбрасывать кэш: сами узлы приложения.
acl purgers {
    "127.0.0.1";
    "::1";
    ${PURGE_ACL}
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (!client.ip ~ purgers) {
            return (synth(405, "Not allowed"));
        }
        if (req.url ~ "^/\.cdn-keys/") {
            ban("obj.http.Surrogate-Key ~ (^|\s)" + regsub(req.url, "^/\.cdn-keys/", "") + "($|\s)");
            return (synth(200, "Banned"));
        }
        return (purge);
    }
    # Ответы с cookie и авторизацией — личные: не из кэша (builtin.vcl делает так же).
}

sub vcl_backend_response {
    # Ключи нужны бану (ban lurker проверяет obj.http.*), а не посетителю — см. vcl_deliver.
    if (beresp.http.Cache-Control ~ "private|no-store") {
        set beresp.ttl = 120s;
        set beresp.uncacheable = true;
        return (deliver);
    }
}

sub vcl_deliver {
    # Видно в тестах и при отладке: ответ из кэша или от приложения.
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
