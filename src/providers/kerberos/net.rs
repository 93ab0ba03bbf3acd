//! Talking to a KDC or kpasswd server: TCP first (4-byte length prefix,
//! RFC 4120 §7.2.2, RFC 3244 §2), UDP when TCP cannot connect. A request that
//! may have changed something (a password change) is never sent twice.

use crate::account::ProviderError;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};

/// `host[:port]`, `[v6]:port` or `v6`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    pub host: String,
    pub port: u16,
}

impl Server {
    pub fn parse(s: &str, default_port: u16) -> Result<Server, String> {
        let s = s.trim();
        // krb5.conf allows "tcp/host" and "kerberos://host"; take the host part.
        let s = s.strip_prefix("tcp/").or_else(|| s.strip_prefix("udp/")).unwrap_or(s);
        let s = s.strip_prefix("kerberos://").unwrap_or(s);
        let bad = || format!("{s:?} is not HOST[:PORT]");
        if s.is_empty() || s.contains(char::is_whitespace) || s.contains('/') {
            return Err(bad());
        }
        if let Some(rest) = s.strip_prefix('[') {
            let (host, after) = rest.split_once(']').ok_or_else(bad)?;
            let port = match after.strip_prefix(':') {
                Some(p) => p.parse().map_err(|_| bad())?,
                None if after.is_empty() => default_port,
                None => return Err(bad()),
            };
            return Ok(Server { host: host.into(), port });
        }
        match s.rsplit_once(':') {
            Some((h, p)) if !h.contains(':') => {
                Ok(Server { host: h.into(), port: p.parse().ok().filter(|p| *p != 0).ok_or_else(bad)? })
            }
            Some(_) => Ok(Server { host: s.into(), port: default_port }),
            None => Ok(Server { host: s.into(), port: default_port }),
        }
    }

    pub fn display(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

pub enum Conn {
    Tcp(TcpStream),
    Udp(UdpSocket),
}

fn net_err(what: &str, e: std::io::Error) -> ProviderError {
    ProviderError::Network { detail: format!("{what}: {e}") }
}

/// Connects to the first server that answers: TCP, then UDP for that server.
pub async fn connect(servers: &[Server], timeout: Duration) -> Result<(Conn, Server), ProviderError> {
    let mut last = None;
    for s in servers {
        let addrs: Vec<SocketAddr> =
            match tokio::time::timeout(timeout, tokio::net::lookup_host((s.host.as_str(), s.port))).await {
                Ok(Ok(a)) => a.collect(),
                Ok(Err(e)) => {
                    last = Some(net_err(&format!("{} cannot be found", s.host), e));
                    continue;
                }
                Err(_) => {
                    last = Some(ProviderError::Timeout);
                    continue;
                }
            };
        // TCP to every address first (a host name may have an IPv6 and an IPv4 address and
        // the service only one of them); UDP to the first address when no TCP connection works.
        for a in &addrs {
            match tokio::time::timeout(timeout, TcpStream::connect(a)).await {
                Ok(Ok(t)) => return Ok((Conn::Tcp(t), s.clone())),
                Ok(Err(e)) => {
                    tracing::debug!(server = %s.display(), addr = %a, error = %e, "Kerberos over TCP failed");
                    last = Some(net_err(&format!("connecting to {}", s.display()), e));
                }
                Err(_) => last = Some(ProviderError::Timeout),
            }
        }
        if let Some(a) = addrs.first() {
            let bind: SocketAddr = if a.is_ipv4() { "0.0.0.0:0" } else { "[::]:0" }.parse().expect("literal");
            if let Ok(u) = UdpSocket::bind(bind).await {
                if u.connect(a).await.is_ok() {
                    tracing::debug!(server = %s.display(), "Kerberos over UDP");
                    return Ok((Conn::Udp(u), s.clone()));
                }
            }
        }
    }
    Err(last.unwrap_or_else(|| ProviderError::Network { detail: "no Kerberos server is configured".into() }))
}

impl Conn {
    pub fn local_ip(&self) -> Result<std::net::IpAddr, ProviderError> {
        match self {
            Conn::Tcp(t) => t.local_addr(),
            Conn::Udp(u) => u.local_addr(),
        }
        .map(|a| a.ip())
        .map_err(|e| net_err("local address", e))
    }

    pub fn is_udp(&self) -> bool {
        matches!(self, Conn::Udp(_))
    }

    /// Sends one message and reads one reply. `Timeout`/`Network` after sending:
    /// the caller decides whether the request may have been carried out.
    pub async fn round_trip(&mut self, msg: &[u8], timeout: Duration) -> Result<Vec<u8>, ProviderError> {
        let fut = async {
            match self {
                Conn::Tcp(t) => {
                    let mut framed = Vec::with_capacity(msg.len() + 4);
                    framed.extend_from_slice(&(msg.len() as u32).to_be_bytes());
                    framed.extend_from_slice(msg);
                    t.write_all(&framed).await.map_err(|e| net_err("sending", e))?;
                    let mut len = [0u8; 4];
                    t.read_exact(&mut len).await.map_err(|e| net_err("reading the reply", e))?;
                    let n = u32::from_be_bytes(len) as usize;
                    if n > 1 << 20 {
                        return Err(ProviderError::Protocol { detail: format!("the Kerberos server sent {n} bytes") });
                    }
                    let mut buf = vec![0u8; n];
                    t.read_exact(&mut buf).await.map_err(|e| net_err("reading the reply", e))?;
                    Ok(buf)
                }
                Conn::Udp(u) => {
                    u.send(msg).await.map_err(|e| net_err("sending", e))?;
                    let mut buf = vec![0u8; 65_536];
                    let n = u.recv(&mut buf).await.map_err(|e| net_err("reading the reply", e))?;
                    buf.truncate(n);
                    Ok(buf)
                }
            }
        };
        tokio::time::timeout(timeout, fut).await.map_err(|_| ProviderError::Timeout)?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servers_parse() {
        assert_eq!(Server::parse("kdc.example.org", 88).unwrap(), Server { host: "kdc.example.org".into(), port: 88 });
        assert_eq!(Server::parse("127.0.0.1:1088", 88).unwrap().port, 1088);
        assert_eq!(Server::parse("[::1]:750", 88).unwrap(), Server { host: "::1".into(), port: 750 });
        assert_eq!(Server::parse("::1", 464).unwrap(), Server { host: "::1".into(), port: 464 });
        assert_eq!(Server::parse("tcp/kdc:99", 88).unwrap().port, 99);
        assert!(Server::parse("kdc:0", 88).is_err());
        assert!(Server::parse("kdc:x", 88).is_err());
        assert!(Server::parse("", 88).is_err());
        assert_eq!(Server::parse("[::1]:750", 88).unwrap().display(), "[::1]:750");
    }
}
