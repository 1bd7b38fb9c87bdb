export default function HomePage() {
  return (
    <main>
      <h1>Mission Control</h1>
      <p>
        The control plane for squads of AI agents. Sign-in, the board and live agent status arrive
        with the identity and gateway services.
      </p>
    </main>
  );
}
