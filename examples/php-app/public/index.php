<?php
// Shows that nginx passes PHP to php-fpm and that MySQL and Redis answer,
// using only PHP's core (sockets), so the official php-fpm image runs it as is.
header('Content-Type: text/plain');

function mysql_version(string $host, int $port): string {
    $s = @fsockopen($host, $port, $errno, $errstr, 2);
    if (!$s) return "unreachable ($errstr)";
    $header = fread($s, 4);                 // 3-byte length + sequence id
    $len = unpack('V', substr($header, 0, 3) . "\0")[1];
    $packet = fread($s, $len);
    fclose($s);
    $nul = strpos($packet, "\0", 1);        // protocol byte, then the version string
    return substr($packet, 1, $nul - 1);
}

function redis_ping(string $host, int $port): string {
    $s = @fsockopen($host, $port, $errno, $errstr, 2);
    if (!$s) return "unreachable ($errstr)";
    fwrite($s, "PING\r\n");
    $reply = trim(fgets($s));
    fclose($s);
    return ltrim($reply, '+');
}

echo "php " . PHP_VERSION . " via " . php_sapi_name() . "\n";
echo "mysql " . mysql_version('mysql', 3306) . "\n";
echo "redis " . redis_ping('redis', 6379) . "\n";
