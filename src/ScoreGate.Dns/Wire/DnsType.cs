namespace ScoreGate.Dns.Wire;

/// <summary>The record types ScoreGate reads and writes (RFC 1035 3.2.2, RFC 3596, RFC 8945).</summary>
public enum DnsType : ushort
{
    /// <summary>An IPv4 address.</summary>
    A = 1,

    /// <summary>Start of authority; names the zone in an UPDATE's zone section (RFC 2136 2.3).</summary>
    Soa = 6,

    /// <summary>Text strings; ACME DNS-01 answers live here.</summary>
    Txt = 16,

    /// <summary>An IPv6 address (RFC 3596).</summary>
    Aaaa = 28,

    /// <summary>Transaction signature (RFC 8945).</summary>
    Tsig = 250,

    /// <summary>Every type; with class ANY in an UPDATE it deletes all records of a name.</summary>
    Any = 255,
}

/// <summary>Record classes (RFC 1035 3.2.4; NONE and ANY as RFC 2136 2.4 uses them).</summary>
public enum DnsClass : ushort
{
    /// <summary>The Internet.</summary>
    In = 1,

    /// <summary>In an UPDATE: delete one record (RFC 2136 2.5.4).</summary>
    None = 254,

    /// <summary>In an UPDATE: delete a whole record set (RFC 2136 2.5.2); TSIG records use it too.</summary>
    Any = 255,
}

/// <summary>Response codes (RFC 1035 4.1.1, RFC 2136 2.2) and TSIG errors (RFC 8945 5.3.2).</summary>
public enum DnsResponseCode : ushort
{
    /// <summary>Success.</summary>
    NoError = 0,

    /// <summary>The server could not parse the message.</summary>
    FormErr = 1,

    /// <summary>The server failed internally.</summary>
    ServFail = 2,

    /// <summary>The name does not exist (or, in an UPDATE, a "name in use" prerequisite failed).</summary>
    NXDomain = 3,

    /// <summary>The server does not implement the operation.</summary>
    NotImp = 4,

    /// <summary>Refused by policy.</summary>
    Refused = 5,

    /// <summary>A name that should not exist does.</summary>
    YXDomain = 6,

    /// <summary>A record set that should not exist does.</summary>
    YXRRSet = 7,

    /// <summary>A record set that should exist does not.</summary>
    NXRRSet = 8,

    /// <summary>Not authoritative for the zone, or the TSIG signature was not accepted.</summary>
    NotAuth = 9,

    /// <summary>A name is outside the zone of the update.</summary>
    NotZone = 10,

    /// <summary>TSIG: the signature does not verify (wrong secret).</summary>
    BadSig = 16,

    /// <summary>TSIG: the server does not know the key name or algorithm.</summary>
    BadKey = 17,

    /// <summary>TSIG: the clocks differ by more than the fudge.</summary>
    BadTime = 18,

    /// <summary>TSIG: the MAC was truncated below the allowed length.</summary>
    BadTrunc = 22,
}
