"""The least a results page can be: a title, one metric and two plotly line charts. The
concurrent-sessions benchmark opens it in the same browsers as the app, to show what the
browsers alone cost on this machine (they share its cores with the server)."""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

st.title("Floor")
st.metric("accuracy", "99.8%")
steps = np.arange(0, 600, 20)
for name in ("loss", "accuracy"):  # the keys of the Train page's charts, which the bench awaits
    st.plotly_chart(
        go.Figure(go.Scatter(x=steps, y=np.exp(-steps / 200))), key=f"train_{name}_chart"
    )
