// 负载实验（LoadLab.tsx）的中文标签；导入即注册（见 ./i18n.ts）。与 ./labels-zh.ts 分开，脚本实验的页面不必加载。
import type { LoadLabels } from './i18n.ts';
import { registerLoadLabels } from './i18n.ts';

export const LOAD_ZH: LoadLabels = {
  rate: '每秒请求数（每个请求一条连接）',
  range: '客户端端口（ip_local_port_range）',
  pool: '连接方式',
  perRequest: '每个请求新建一条连接',
  pooled: (n: number) => `由 ${n} 条持久连接组成的池`,
  ports1: (n: number) => `${n} 个端口`,
  perSecond: (n: number) => `${n}/秒`,
  running: '正在运行模拟……',
  failed: (why: string) => `模拟失败：${why}`,
  noWorker: '此浏览器无法在后台运行模拟；显示的是预先算好的结果。',
  little: '利特尔法则：速率 × 60 秒，以端口数为上限',
  summary: (connects: number, failures: number) =>
    failures === 0
      ? `共 ${connects} 次 connect()，全部成功。`
      : `共 ${connects} 次 connect()，其中 ${failures} 次因 EADDRNOTAVAIL（没有空闲四元组）失败。`,
  firstFailure: (at: string) => `第一次失败发生在 ${at}。`,
  prediction: (rate: number, tw: string, expected: number, range: number) =>
    `预测：${rate}/秒 × ${tw} = ${expected} 个 TIME_WAIT 条目${expected > range ? `，超过 ${range} 个端口：connect() 必然失败` : `，没有超过 ${range} 个端口`}。`,
  log: 'connect() 日志（每秒）',
  logLine: (at: string, n: number, failed: number) =>
    failed > 0
      ? `${at}  ${n} 次 connect()：${failed} 次 EADDRNOTAVAIL`
      : `${at}  ${n} 次 connect()：全部成功`,
  logGap: (n: number) => `…… 另有 ${n} 秒与上一行相同 ……`,
};

registerLoadLabels('zh-CN', LOAD_ZH);
