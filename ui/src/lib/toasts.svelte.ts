// Short confirmations ("Employee saved"), read out by screen readers.

export interface Toast {
  id: number;
  text: string;
  tone: "success" | "error";
}

class Toasts {
  items = $state<Toast[]>([]);
  private next = 1;

  show(text: string, tone: Toast["tone"] = "success"): void {
    const id = this.next++;
    this.items = [...this.items, { id, text, tone }];
    setTimeout(() => this.dismiss(id), tone === "error" ? 8000 : 3500);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id);
  }
}

export const toasts = new Toasts();
