package io.pigsty.offline.plan;

/** A package fetched straight from a URL ({@code repo_url_packages}); sha256 is optional, checked when given. */
public record UrlPackage(String name, String url, String sha256, String where) {}
