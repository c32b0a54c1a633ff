//! `ipblock-targets-cluster-network`.

use std::net::IpAddr;

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Context;
use crate::validate::ip::{parse_cidr_sloppy, ParsedCidr};

use super::support::{enforced_peers, rule_name, EnforcedRule};

declare_rule! {
    /// ## What it does
    /// Reports an `ipBlock` that addresses the cluster's own networks: its `cidr`, minus its
    /// `except` entries, overlaps a configured pod CIDR (`cluster.pod_cidrs`) or Service
    /// CIDR (`cluster.service_cidrs`). Only enforced directions are checked. With no CIDRs
    /// configured (the default) the rule never fires.
    ///
    /// Which overlaps count:
    /// - the block lies inside a cluster range or equals it (`10.244.3.0/24` in the pod
    ///   network `10.244.0.0/16`, `10.96.0.10/32` in the Service network `10.96.0.0/12`);
    /// - the block contains a cluster range and is narrower than `/8` (`10.240.0.0/12`
    ///   around `10.244.0.0/16`): such a block is mostly or partly about the cluster.
    ///
    /// A block of prefix `/8` or shorter that merely contains a cluster range (`0.0.0.0/0`,
    /// `10.0.0.0/8`, `fd00::/8`) is about the internet or a whole private range, not the
    /// cluster, and is left to other rules (`ipblock-allows-all-addresses`). Overlap that the
    /// block's `except` list removes completely is ignored. Two CIDRs either are disjoint or
    /// one contains the other, so these cases cover every overlap.
    ///
    /// ## Why it matters
    /// `ipBlock` is meant for addresses outside the cluster. Pod IPs are ephemeral: a pod
    /// that is rescheduled gets a new address, and another pod (of any namespace) may get
    /// the old one, so a rule naming pod addresses admits the wrong pods sooner or later.
    /// Service IPs are translated to a backend pod's address before policy is evaluated
    /// (most plugins see only the post-DNAT address), so a rule naming a ClusterIP never
    /// matches the traffic sent to that Service; the connection is judged against the pod's
    /// address and is usually dropped.
    ///
    /// ## Example
    /// With these options (kubeadm's default Service range and flannel's default pod range):
    /// ```text
    /// cluster:
    ///   pod_cidrs: [10.244.0.0/16]
    ///   service_cidrs: [10.96.0.0/12]
    /// ```
    /// the rule to the database's ClusterIP never matches:
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: api
    ///   namespace: shop
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: api
    ///   policyTypes: [Egress]
    ///   egress:
    ///     - to:
    ///         - ipBlock:
    ///             cidr: 10.96.45.12/32
    ///       ports:
    ///         - port: 5432
    ///     - to:
    ///         - namespaceSelector:
    ///             matchLabels:
    ///               kubernetes.io/metadata.name: kube-system
    ///           podSelector:
    ///             matchLabels:
    ///               k8s-app: kube-dns
    ///       ports:
    ///         - port: 53
    ///           protocol: UDP
    ///         - port: 53
    ///           protocol: TCP
    /// ```
    ///
    /// ## Use instead
    /// Select the Service's backend pods (and their target port):
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: api
    ///   namespace: shop
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: api
    ///   policyTypes: [Egress]
    ///   egress:
    ///     - to:
    ///         - podSelector:
    ///             matchLabels:
    ///               app: postgres
    ///       ports:
    ///         - port: 5432
    ///     - to:
    ///         - namespaceSelector:
    ///             matchLabels:
    ///               kubernetes.io/metadata.name: kube-system
    ///           podSelector:
    ///             matchLabels:
    ///               k8s-app: kube-dns
    ///       ports:
    ///         - port: 53
    ///           protocol: UDP
    ///         - port: 53
    ///           protocol: TCP
    /// ```
    /// If a block is meant for external hosts and only happens to include a cluster range,
    /// add that range to its `except` list.
    ///
    /// ## References
    /// - Kubernetes documentation, Network Policies: "ipBlock … should be cluster-external
    ///   IPs, since Pod IPs are ephemeral and unpredictable"
    /// - `netpol-semantics.md` §10, §11.5 and §15 (A5)
    /// - popeye POP-1206/1207; `rule-catalog.md` §1.H (`np-ipblock-targets-cluster`)
    pub RULE {
        code: "NW3028",
        name: "ipblock-targets-cluster-network",
        category: Correctness,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "An ipBlock addresses the cluster's pod or Service network, which ipBlock cannot reliably match.",
        check: check,
    }
}

/// Blocks of this prefix length or shorter that contain a cluster range are about whole
/// networks (the internet, a private range), not about the cluster.
const BROAD_PREFIX: u8 = 8;

/// Which cluster network a range belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Network {
    Pod,
    Service,
}

impl Network {
    fn text(self) -> &'static str {
        match self {
            Network::Pod => "pod network",
            Network::Service => "Service network",
        }
    }
}

/// An address range of one family: (is IPv6, first, last).
type Range = (bool, u128, u128);

fn range(cidr: &ParsedCidr) -> Range {
    match cidr.network() {
        IpAddr::V4(net) => {
            let start = u128::from(u32::from(net));
            let size = 1u128 << (32 - u32::from(cidr.prefix_len.min(32)));
            (false, start, start + size - 1)
        }
        IpAddr::V6(net) => {
            let start = u128::from(net);
            let host = 128 - u32::from(cidr.prefix_len.min(128));
            let last = if host == 128 {
                u128::MAX
            } else {
                start | ((1u128 << host) - 1)
            };
            (true, start, last)
        }
    }
}

/// Whether `excepts` cover every address of `[first, last]`.
fn covered(first: u128, last: u128, v6: bool, excepts: &[Range]) -> bool {
    let mut parts: Vec<(u128, u128)> = excepts
        .iter()
        .filter(|&&(f, s, e)| f == v6 && s <= last && e >= first)
        .map(|&(_, s, e)| (s.max(first), e.min(last)))
        .collect();
    crate::sort::sort(&mut parts);
    let mut next = first;
    for (s, e) in parts {
        if s > next {
            return false;
        }
        if e >= last {
            return true;
        }
        next = next.max(e + 1);
    }
    false
}

fn configured(
    texts: &[String],
    network: Network,
) -> impl Iterator<Item = (Network, &str, ParsedCidr)> {
    texts
        .iter()
        .filter_map(move |t| parse_cidr_sloppy(t).map(|c| (network, t.as_str(), c)))
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let cluster = &ctx.options.cluster;
    let networks: Vec<_> = configured(&cluster.pod_cidrs, Network::Pod)
        .chain(configured(&cluster.service_cidrs, Network::Service))
        .collect();
    if networks.is_empty() {
        return;
    }
    for entry in enforced_peers(ctx) {
        let EnforcedRule {
            policy,
            direction,
            index: i,
            ..
        } = entry.rule;
        let peer = entry.peer;
        let Some(block) = &peer.ip_block else {
            continue;
        };
        let Some(cidr) = parse_cidr_sloppy(&block.cidr) else {
            continue;
        };
        let (v6, first, last) = range(&cidr);
        let excepts: Vec<Range> = block
            .except
            .iter()
            .filter_map(|e| parse_cidr_sloppy(e))
            .map(|e| range(&e))
            .collect();
        let mut overlaps = Vec::new();
        for (network, text, net) in &networks {
            let (net_v6, net_first, net_last) = range(net);
            if net_v6 != v6 || net_last < first || net_first > last {
                continue;
            }
            let inside = net_first <= first && last <= net_last;
            if !inside && cidr.prefix_len <= BROAD_PREFIX {
                continue;
            }
            let (from, to) = (first.max(net_first), last.min(net_last));
            if covered(from, to, v6, &excepts) {
                continue;
            }
            let relation = if net_first == first && net_last == last {
                "is"
            } else if inside {
                "lies inside"
            } else {
                "includes"
            };
            overlaps.push((*network, relation, *text));
        }
        if overlaps.is_empty() {
            continue;
        }
        let described: Vec<String> = overlaps
            .iter()
            .map(|(network, relation, text)| format!("{relation} the {} {text}", network.text()))
            .collect();
        let has = |n: Network| overlaps.iter().any(|(network, ..)| *network == n);
        let mut why = Vec::new();
        if has(Network::Pod) {
            why.push("pod IPs change whenever pods are recreated");
        }
        if has(Network::Service) {
            why.push("Service IPs are translated to pod IPs before policy is evaluated, so it never matches Service traffic");
        }
        let message = format!(
            "{} {} ipBlock {} {}: {}",
            policy.qualified_name(),
            rule_name(direction, i),
            block.cidr,
            described.join(" and "),
            why.join("; ")
        );
        let mut help = String::from(if has(Network::Service) {
            "select the Service's backend pods with podSelector/namespaceSelector (and their target port) instead"
        } else {
            "select the pods with podSelector/namespaceSelector instead"
        });
        if overlaps
            .iter()
            .any(|(_, relation, _)| *relation == "includes")
        {
            help.push_str("; if the block is meant for external hosts, except the cluster range");
        }
        let path = entry.path().child("ipBlock").child("cidr");
        out.push(policy.report(&RULE, path, message).with_help(help));
    }
}

#[cfg(test)]
mod tests {
    use super::covered;
    use crate::diagnostic::Diagnostic;
    use crate::lint;
    use crate::options::Options;
    use crate::source::LoadLimits;
    use crate::workspace::Workspace;

    fn run(cidr: &str, except: &[&str], options: &Options) -> Vec<Diagnostic> {
        let except = if except.is_empty() {
            String::new()
        } else {
            format!("\n            except: [{}]", except.join(", "))
        };
        let yaml = format!(
            "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  namespace: shop
spec:
  podSelector: {{}}
  ingress:
    - from:
        - ipBlock:
            cidr: \"{cidr}\"{except}
"
        );
        let mut workspace = Workspace::new(LoadLimits::default());
        workspace.add_file("test.yaml", yaml.as_bytes());
        lint::check(&workspace, options)
            .into_iter()
            .filter(|d| d.rule.code == "NW3028")
            .collect()
    }

    fn options(pods: &[&str], services: &[&str]) -> Options {
        let mut options = Options::default();
        options.cluster.pod_cidrs = pods.iter().map(|s| (*s).to_owned()).collect();
        options.cluster.service_cidrs = services.iter().map(|s| (*s).to_owned()).collect();
        options
    }

    #[test]
    fn never_fires_without_configured_ranges() {
        assert!(run("10.244.1.0/24", &[], &Options::default()).is_empty());
        assert!(run("10.96.0.10/32", &[], &Options::default()).is_empty());
    }

    #[test]
    fn inside_equal_and_narrow_supersets_fire_broad_ones_do_not() {
        let o = options(&["10.244.0.0/16"], &["10.96.0.0/12"]);
        assert_eq!(run("10.244.1.0/24", &[], &o).len(), 1);
        assert_eq!(run("10.244.0.0/16", &[], &o).len(), 1);
        assert_eq!(run("10.96.0.1/32", &[], &o).len(), 1);
        assert_eq!(run("10.128.0.0/9", &[], &o).len(), 1);
        assert!(run("10.0.0.0/8", &[], &o).is_empty());
        assert!(run("0.0.0.0/0", &[], &o).is_empty());
        assert!(run("10.245.0.0/16", &[], &o).is_empty());
        // An IPv4-mapped spelling is the IPv4 block.
        assert_eq!(run("::ffff:10.244.1.0/120", &[], &o).len(), 1);
        // One finding per block, naming both ranges.
        let both = options(&["10.1.0.0/16"], &["10.2.0.0/16"]);
        let found = run("10.0.0.0/14", &[], &both);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains("pod network")
                && found[0].message.contains("Service network")
        );
    }

    #[test]
    fn fully_excepted_overlap_is_ignored() {
        let o = options(&["10.244.0.0/16"], &[]);
        assert!(run("10.240.0.0/12", &["10.244.0.0/16"], &o).is_empty());
        assert!(run("10.244.8.0/24", &["10.244.8.0/25", "10.244.8.128/25"], &o).is_empty());
        assert_eq!(run("10.244.8.0/24", &["10.244.8.0/25"], &o).len(), 1);
        assert_eq!(run("10.240.0.0/12", &["10.244.0.0/17"], &o).len(), 1);
    }

    #[test]
    fn ipv6_ranges() {
        let o = options(&["fd00:10:244::/56"], &["fd00:10:96::/112"]);
        assert_eq!(run("fd00:10:244:3::/64", &[], &o).len(), 1);
        assert_eq!(run("fd00:10:96::a/128", &[], &o).len(), 1);
        assert!(run("fd00::/8", &[], &o).is_empty());
        assert!(run("::/0", &[], &o).is_empty());
        assert!(run("2001:db8::/32", &[], &o).is_empty());
        // An IPv4 block never overlaps an IPv6 range.
        assert!(run("10.0.0.0/16", &[], &o).is_empty());
    }

    #[test]
    fn coverage() {
        assert!(covered(0, u128::MAX, true, &[(true, 0, u128::MAX)]));
        assert!(!covered(0, 9, false, &[(false, 0, 4), (false, 6, 9)]));
        assert!(covered(0, 9, false, &[(false, 5, 9), (false, 0, 4)]));
        assert!(!covered(0, 9, false, &[(true, 0, 9)]));
    }
}
