// Preloaded (`node --require`) into tools that must work offline: any attempt to open a
// network connection or resolve a name throws, so a tool that quietly needs the internet fails.

"use strict";

const net = require("node:net");
const dns = require("node:dns");
const tls = require("node:tls");

function refuse(what) {
  return function () {
    throw new Error("network access attempted while offline: " + what);
  };
}

net.Socket.prototype.connect = refuse("net.Socket.connect");
tls.connect = refuse("tls.connect");
dns.lookup = refuse("dns.lookup");
dns.resolve = refuse("dns.resolve");
if (dns.promises) {
  dns.promises.lookup = refuse("dns.promises.lookup");
  dns.promises.resolve = refuse("dns.promises.resolve");
}
if (typeof globalThis.fetch === "function") globalThis.fetch = refuse("fetch");
